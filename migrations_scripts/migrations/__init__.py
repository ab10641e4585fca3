"""Versioned migrations, `NNNN_name.py`, applied in version order by `migrate`."""
