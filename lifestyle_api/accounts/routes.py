"""`/auth` routes: thin HTTP over `service.py`. All `@public` but `POST /auth/logout`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.hooks import current_settings
from ..http.routes import public
from ..identity import current_caller
from . import service
from .schemas import (
    AcceptedSchema,
    ConfirmSchema,
    EmailSchema,
    LoginSchema,
    RefreshedTokensSchema,
    RefreshSchema,
    RegisterSchema,
    RegistrationSchema,
    ResetPasswordSchema,
    TokensSchema,
)

blp = Blueprint(
    "auth", __name__, url_prefix="/auth", description="Sign-up, sign-in and passwords (Cognito)."
)
LOCATION = {"Location": {"schema": {"type": "string"}}}
CODE_SENT = {"message": "If an account exists for this email, a code is on its way."}


@blp.route("/register")
class Register(MethodView):
    @public
    @blp.operation("register", 201, RegistrationSchema, body=RegisterSchema, headers=LOCATION)
    @blp.alt_response(409, response="CONFLICT", description="The email is taken.")
    def post(self, data):
        """Create an account

        A code to confirm the account is sent by email. A weak password is a 400 whose
        `details` list the password policy; a taken email is a 409; more than 10 attempts
        per email in 15 minutes a 429."""
        registration = service.register(
            current_settings(), data["email"], data["password"], data.get("name")
        )
        return registration, 201, {"Location": "/me"}


@blp.route("/confirm")
class Confirm(MethodView):
    @public
    @blp.operation("confirmAccount", 204, body=ConfirmSchema)
    @blp.alt_response(409, response="CONFLICT", description="Another account uses the email.")
    def post(self, data):
        """Confirm an account

        Confirms the account with the emailed code; a wrong or expired code is a 400, an
        email another account already uses a 409."""
        service.confirm(current_settings(), data["email"], data["code"])


@blp.route("/resend-code")
class ResendCode(MethodView):
    @public
    @blp.operation("resendConfirmationCode", 202, AcceptedSchema, body=EmailSchema)
    def post(self, data):
        """Resend the confirmation code

        Sends the confirmation code again: 202 whether or not the account exists, at most
        5 times per email per hour (else 429)."""
        service.resend_code(current_settings(), data["email"])
        return CODE_SENT


@blp.route("/login")
class Login(MethodView):
    @public
    @blp.operation("login", 200, TokensSchema, body=LoginSchema)
    @blp.alt_response(401, response="UNAUTHORIZED", description="Wrong email or password.")
    @blp.alt_response(403, response="FORBIDDEN", description="The account is not confirmed.")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS", description="Too many attempts.")
    def post(self, data):
        """Log in

        Answers Cognito's access, ID and refresh tokens. A wrong password and an unknown
        email get the same 401; an unconfirmed account a 403; more than 10 failed attempts
        per email in 15 minutes a 429."""
        return service.login(current_settings(), data["email"], data["password"])


@blp.route("/refresh")
class Refresh(MethodView):
    @public
    @blp.operation("refreshTokens", 200, RefreshedTokensSchema, body=RefreshSchema)
    @blp.alt_response(401, response="UNAUTHORIZED", description="Invalid or revoked token.")
    @blp.alt_response(
        403, response="FORBIDDEN", description="The account needs a sign-in step first."
    )
    def post(self, data):
        """Refresh the tokens

        New access and ID tokens for a refresh token; a revoked or invalid one is a 401."""
        return service.refresh(current_settings(), data["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.operation("logout", 204)
    def post(self):
        """Log out everywhere

        Refresh tokens stop working at once, access tokens at their expiry."""
        service.logout(current_settings(), current_caller().access_token)


@blp.route("/forgot-password")
class ForgotPassword(MethodView):
    @public
    @blp.operation("forgotPassword", 202, AcceptedSchema, body=EmailSchema)
    def post(self, data):
        """Request a password reset

        Emails a code to reset the password: 202 whether or not the account exists, at
        most 5 times per email per hour (else 429)."""
        service.forgot_password(current_settings(), data["email"])
        return CODE_SENT


@blp.route("/reset-password")
class ResetPassword(MethodView):
    @public
    @blp.operation("resetPassword", 204, body=ResetPasswordSchema)
    def post(self, data):
        """Reset the password

        Sets a new password with the emailed code; a wrong code or a weak password is a
        400."""
        service.reset_password(
            current_settings(), data["email"], data["code"], data["new_password"]
        )
