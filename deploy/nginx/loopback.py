"""deploy/nginx/default.conf on loopback, for the tests and `make loadtest`: the same site,
with gunicorn on a local port instead of the compose service, and every path nginx writes
(pid, logs, temp folders) under ``folder``."""
import os
from pathlib import Path

SITE = Path(__file__).resolve().parent / "default.conf"


def nginx_config(folder: Path, *, port: int, web_port: int) -> Path:
    """Write nginx.conf (and the site it includes) into ``folder``; returns its path. The
    access log goes to folder/nginx-access.log, errors to folder/nginx-error.log."""
    site = (SITE.read_text()
            .replace("server web:8000;", f"server 127.0.0.1:{web_port};")
            .replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
            .replace("/srv/static/", f"{folder}/static/").replace("/srv/media/", f"{folder}/media/")
            .replace("access_log /dev/stdout governance_json;", f"access_log {folder}/nginx-access.log governance_json;")
            .replace("error_log /dev/stderr warn;", f"error_log {folder}/nginx-error.log warn;"))
    (folder / "nginx-site.conf").write_text(site)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "nginx-temp" / temp).mkdir(parents=True, exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {folder}/nginx-temp/body;
    proxy_temp_path {folder}/nginx-temp/proxy;
    fastcgi_temp_path {folder}/nginx-temp/fastcgi;
    uwsgi_temp_path {folder}/nginx-temp/uwsgi;
    scgi_temp_path {folder}/nginx-temp/scgi;
    include {folder}/nginx-site.conf;
}}
""")
    return folder / "nginx.conf"
