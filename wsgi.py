"""The WSGI entry point for production servers: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Configuration comes from ``instance/config.py`` and ``CONSULT_*`` variables (see README,
"Running in production"); ``make serve`` runs gunicorn and the job worker together.
"""

from consult import create_app
from consult.templating import compile_templates

app = create_app()
# Each gunicorn process builds its own app (preload_app is off): compile the templates
# before it takes requests, not on its first pages.
compile_templates(app)
