"""The WSGI entry point for production servers: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Configuration comes from ``instance/config.py`` and ``CONSULT_*`` variables (see README,
"Running in production"); ``make serve`` runs gunicorn and the job worker together.
"""

from consult import create_app

app = create_app()
