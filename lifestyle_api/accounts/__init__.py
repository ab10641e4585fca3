"""Accounts through Amazon Cognito: sign-up, confirmation, sign-in, refresh, sign-out and
password reset (API.md "Public routes")."""
