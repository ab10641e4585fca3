"""Local development: the API on `flask run` against an embedded AWS emulator.

`python -m lifestyle_api.local` (what `make run` calls) starts moto's server mode in this
process (unless `AWS_ENDPOINT_URL` names another endpoint), creates the table, applies the
migrations, provisions a Cognito user pool and app client, seeds the demo user, and then
runs `flask --app wsgi run` as a child process pointed at all of it. The emulator lives in
this process, outside Flask's reloader, so data survives code reloads; stopping this command
stops the whole process group it started.
"""
