# The Lambda image: AWS's Python 3.12 base, the pinned runtime dependencies and the app,
# compiled to bytecode. Lambda runs it as its own unprivileged user; CMD names the handler.
#checkov:skip=CKV_DOCKER_2:Lambda checks the function's health itself; a container HEALTHCHECK is never run there.
#checkov:skip=CKV_DOCKER_3:Lambda runs every image as its own least-privileged user, whatever USER says.
FROM public.ecr.aws/lambda/python:3.12

# Hash-checked wheels from the lock, nothing resolved at build time, no pip cache kept.
COPY requirements/lock.txt /tmp/lock.txt
RUN python -m pip install --no-cache-dir --no-deps --require-hashes --only-binary=:all: \
        --no-compile --target "${LAMBDA_TASK_ROOT}" -r /tmp/lock.txt \
    && rm /tmp/lock.txt

COPY wsgi.py ${LAMBDA_TASK_ROOT}/
COPY lifestyle_api/ ${LAMBDA_TASK_ROOT}/lifestyle_api/

# Bytecode ships in the image: the read-only task root could not cache it at cold start.
RUN python -m compileall -q -j 0 --invalidation-mode unchecked-hash "${LAMBDA_TASK_ROOT}"

CMD ["wsgi.handler"]
