#!/usr/bin/env python3
"""`make bench`: measures Sabak's release build on loopback and writes target/bench/report.json.

What it measures now (keys for features not built yet stay null, as issue 7 asks):
- today_*: the student's timetable page (/timetable) rendered per request by the server, against
  the same HTML served as a static file by the same server (wrk, same connections and duration);
- today_first_visit_bytes (and _wasm_bytes): HTML + CSS + JS + WASM of a first visit to the
  student's timetable, brotli as the server sends them; route_first_visit_bytes: the same for every
  route, for every role that can open it ("role /path"), and max_route_first_visit_bytes, the
  heaviest (scripts/route_bytes.py: a page fetches the WASM only when it has an island);
- live_*: N students (BENCH_SUBSCRIBERS, default 10,000) follow one class's lesson timer over
  server-sent events; the teacher pauses five times; the delay from each pause request to every
  subscriber seeing it (p50/p99/max), and the server's RSS with the streams open
  (server/examples/fanout.rs, a load generator of our own);
- mixed_load_*: BENCH_LOAD_USERS (1,000) virtual users for BENCH_LOAD_SECONDS (60) on kept-alive
  connections: students open their timetable page and week and give feedback, parents read
  notices, teachers read their week, experts save draft scores (the contest is moved into its
  judging weeks and each entry given three experts before the server starts)
  (server/src/bin/load.rs); errors and p50/p99;
- lighthouse_*: Lighthouse (npm, tools/lighthouse) driving Debian's Chromium with its mobile
  preset (simulated slow 4G and 4x CPU slowdown): LCP and TBT, the median of
  BENCH_LIGHTHOUSE_RUNS (3) runs, on five pages (student timetable and timer, parent notices,
  expert scoring, organiser results); lighthouse_*_max is the worst of the five.
With BENCH_PAGES_ONLY=1 only the pages are measured (bytes, SSR against static, Lighthouse); the
live fan-out, the mixed load and the ranking stay null.
Benchmarks never fail on time; they print and record.
"""
import datetime, json, os, re, shutil, signal, socket, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import route_bytes  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/sabak-target"))
BINARY = os.path.join(TARGET, "release", "sabak")
SITE = os.path.join(ROOT, "target", "site")
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
SUBSCRIBERS = os.environ.get("BENCH_SUBSCRIBERS", "10000")
# The load tools are built in a target directory of their own (see the Makefile's bench).
EXAMPLES = os.environ.get("BENCH_EXAMPLES_DIR", os.path.join(TARGET, "bench", "release", "examples"))
FANOUT = os.path.join(EXAMPLES, "fanout")
RANKING = os.path.join(EXAMPLES, "ranking")
LOAD = os.path.join(EXAMPLES, "load")
DRIVER = os.path.join(EXAMPLES, "driver")
LOAD_USERS = os.environ.get("BENCH_LOAD_USERS", "1000")
LOAD_SECONDS = os.environ.get("BENCH_LOAD_SECONDS", "60")
LIGHTHOUSE = os.path.join(ROOT, "tools", "lighthouse", "node_modules", ".bin", "lighthouse")
LIGHTHOUSE_RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
PAGES_ONLY = os.environ.get("BENCH_PAGES_ONLY") == "1"

KEYS = ["today_first_visit_bytes", "today_first_visit_wasm_bytes", "max_route_first_visit_bytes",
        "lighthouse_lcp_ms_max", "lighthouse_tbt_ms_max", "today_ssr_rps", "today_static_rps", "today_ssr_to_static_ratio",
        "today_ssr_p50_ms", "today_ssr_p99_ms", "today_static_p50_ms", "today_static_p99_ms",
        "live_subscribers", "live_rss_mib", "live_fanout_p99_ms", "ranking_ms", "mixed_load_users",
        "mixed_load_errors", "mixed_load_p99_ms", "lighthouse_lcp_ms", "lighthouse_tbt_ms"]


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def wait_ready(base):
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1); return
        except Exception:
            time.sleep(0.1)
    sys.exit("bench: the server did not start")


def curl(*args):
    return subprocess.run(["curl", "-s", *args], check=True, capture_output=True, text=True).stdout


def wrk(url, cookie, connections=None):
    out = subprocess.run(["wrk", "-t2", f"-c{connections or CONNECTIONS}", f"-d{DURATION}s", "--latency", "-H", f"Cookie: {cookie}",
                          "-H", "Accept-Language: ky", url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": round(rps, 1), "p50": pct(50), "p99": pct(99), "non2xx": int(errors.group(1)) if errors else 0}


def open_judging(data, today):
    """Moves the seeded contest into its judging weeks and gives each entry three experts of its
    nomination, so the mixed load has experts scoring."""
    day = lambda offset: (today + datetime.timedelta(days=offset)).isoformat()
    db = sqlite3.connect(os.path.join(data, "sabak.db"))
    with db:
        db.execute("UPDATE contest_editions SET apply_opens=?, apply_closes=?, experts_by=?, judging_opens=?,"
                   " judging_closes=?, announce_on=?, awards_from=?, awards_until=?",
                   [day(d) for d in (-30, -15, -13, -12, 16, 26, 46, 62)])
        entries = db.execute("SELECT id, nomination_id FROM contest_applications").fetchall()
        for entry, nomination in entries:
            experts = db.execute("SELECT expert_id FROM contest_experts WHERE nomination_id=? ORDER BY expert_id LIMIT 3",
                                 (nomination,)).fetchall()
            db.executemany("INSERT OR IGNORE INTO contest_assignments (application_id, expert_id, assigned_at)"
                           " VALUES (?, ?, strftime('%s','now'))", [(entry, e) for (e,) in experts])
    first, = db.execute("SELECT a.application_id FROM contest_assignments a JOIN users u ON u.id = a.expert_id"
                        " WHERE u.login = 'expert' ORDER BY a.application_id LIMIT 1").fetchone() or (None,)
    db.close()
    return len(entries), first


def timer_people(data):
    """A teacher with a 5А lesson on Wednesday (the bench's day) and a 5А student: who runs the
    timer and who follows it in the fan-out."""
    db = sqlite3.connect(os.path.join(data, "sabak.db"))
    teacher, = db.execute("SELECT u.login FROM lessons l JOIN users u ON u.id = l.teacher_id JOIN classes c"
                          " ON c.id = l.class_id WHERE c.name = '5А' AND l.weekday = 2 AND l.weeks = 'all'"
                          " ORDER BY l.period LIMIT 1").fetchone()
    student, = db.execute("SELECT u.login FROM enrolments e JOIN users u ON u.id = e.student_id JOIN classes c"
                          " ON c.id = e.class_id WHERE c.name = '5А' ORDER BY u.login LIMIT 1").fetchone()
    db.close()
    return teacher, student


def lighthouse(url, cookie):
    """LCP and TBT (ms) of `url`, the median of a few runs; None without the tool."""
    if not os.path.exists(LIGHTHOUSE):
        print("bench: Lighthouse is not installed (make bench installs it); its figures stay null")
        return None, None
    lcp, tbt = [], []
    for _ in range(LIGHTHOUSE_RUNS):
        out = os.path.join(tempfile.gettempdir(), "sabak-lighthouse.json")
        subprocess.run([LIGHTHOUSE, url, "--quiet", "--only-categories=performance", "--form-factor=mobile",
                        "--throttling-method=simulate", "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                        "--extra-headers", json.dumps({"Cookie": cookie, "Accept-Language": "ky"}),
                        "--output=json", f"--output-path={out}"],
                       env=dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium")),
                       check=True, capture_output=True, timeout=300)
        audits = json.load(open(out))["audits"]
        lcp.append(audits["largest-contentful-paint"]["numericValue"])
        tbt.append(audits["total-blocking-time"]["numericValue"])
    return round(statistics.median(lcp)), round(statistics.median(tbt))


def start_server(env, log=None):
    out = open(log, "w") if log else subprocess.DEVNULL
    return subprocess.Popen([BINARY], env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL)


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def login_cookie(base, login, jar_dir):
    jar = os.path.join(jar_dir, f"cookies-{login}-{base.rsplit(':', 1)[1]}")
    curl("-c", jar, "-o", "/dev/null", "-H", "Accept: text/html", "-H", f"Origin: {base}",
         "--data", f"login={login}&password=sabak2026", base + "/api/login")
    value = next((line.split("\t")[-1].strip() for line in open(jar) if "sabak_session" in line), None)
    return value and f"sabak_session={value}"


QUERY_PAGES = [("student", "/timetable"), ("student", "/"), ("parent", "/notices"), ("teacher", "/timer"),
               ("teacher", "/timetable")]


def queries_per_page(env, data, read_cache):
    """SQL statements one page costs (sqlx logs each at debug level), read twice: the second
    read is what a page costs once the read cache is warm."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = os.path.join(data, f"queries-{read_cache}.log")
    server = start_server(dict(env, SABAK_ADDR=f"127.0.0.1:{port}", RUST_LOG="warn,sqlx::query=debug",
                               SABAK_READ_CACHE=read_cache), log)
    counts = {}
    try:
        wait_ready(base)
        def statements():
            time.sleep(0.3)
            return sum(1 for line in open(log, errors="replace") if "sqlx::query" in line)
        for login, path in QUERY_PAGES:
            cookie = login_cookie(base, login, data)
            for _ in range(2):
                before = statements()
                curl("-o", "/dev/null", "-H", f"Cookie: {cookie}", "-H", "Accept-Language: ky", base + path)
                counts[f"{login} {path}"] = statements() - before
    finally:
        stop(server)
    return counts


def run_load(addr, *args, timeout=1800):
    """The Goose load (examples/load): its figures are the last line it prints."""
    done = subprocess.run([LOAD, addr, *args], check=True, capture_output=True, text=True, timeout=timeout)
    print(done.stderr, end="")
    return json.loads(done.stdout.strip().splitlines()[-1])


PSQL = next(iter(sorted(__import__("glob").glob("/usr/lib/postgresql/*/bin/psql"))), "psql")


def psql(url, sql):
    subprocess.run([PSQL, "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True, capture_output=True)


NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
worker_rlimit_nofile 40000;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
    uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    upstream sabak {{ server {a}; server {b}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://sabak;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Server-sent events (the live timers) pass straight through.
            proxy_buffering off;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


def postgres_figures(pg_admin_url, wednesday, site_env):
    """The same server on PostgreSQL (the big school), then two replicas behind nginx on the
    same database: the highest arrival rate each holds, and the timers' fan-out across
    replicas."""
    url = pg_admin_url.rsplit("/", 1)[0] + "/sabak_bench"
    psql(pg_admin_url, "DROP DATABASE IF EXISTS sabak_bench")
    psql(pg_admin_url, "CREATE DATABASE sabak_bench")
    data = tempfile.mkdtemp(prefix="sabak-bench-pg-")
    env = dict(site_env, DATABASE_URL=url, SABAK_DATA_DIR=data)
    started = time.time()
    subprocess.run([BINARY, "seed", "--big"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"seeded the big school on PostgreSQL in {time.time() - started:.1f} s")
    day = lambda offset: (wednesday + datetime.timedelta(days=offset)).isoformat()
    psql(url, "UPDATE contest_editions SET apply_opens='%s', apply_closes='%s', experts_by='%s', judging_opens='%s',"
              " judging_closes='%s', announce_on='%s', awards_from='%s', awards_until='%s'"
              % tuple(day(d) for d in (-30, -15, -13, -12, 16, 26, 46, 62)))
    psql(url, "INSERT INTO contest_assignments (application_id, expert_id, assigned_at)"
              " SELECT a.id, e.expert_id, extract(epoch from now())::bigint FROM contest_applications a"
              " JOIN LATERAL (SELECT expert_id FROM contest_experts x WHERE x.nomination_id = a.nomination_id"
              " ORDER BY expert_id LIMIT 3) e ON true ON CONFLICT DO NOTHING")
    figures = {}
    ports = [free_port(), free_port()]
    servers = [start_server(dict(env, SABAK_ADDR=f"127.0.0.1:{p}")) for p in ports]
    nginx_dir = tempfile.mkdtemp(prefix="sabak-nginx-")
    nginx = None
    try:
        for p in ports:
            wait_ready(f"http://127.0.0.1:{p}")
        one = f"http://127.0.0.1:{ports[0]}"
        cookie = login_cookie(one, "student", data)
        ssr = wrk(one + "/timetable", cookie)
        figures.update({"pg_today_ssr_rps": ssr["rps"], "pg_today_ssr_p99_ms": ssr["p99"]})
        figures.update(json.loads(subprocess.run([DRIVER, url], check=True, capture_output=True, text=True,
                                                 timeout=600).stdout))
        # One replica: the other one idles.
        single = run_load(f"127.0.0.1:{ports[0]}", "--max-rate", str(servers[0].pid))
        figures["pg_load_max_rps_p99_200"] = single["load_max_rps_p99_200"]
        figures["pg_load_steps"] = single["load_steps"]
        if shutil.which("nginx"):
            port = free_port()
            with open(os.path.join(nginx_dir, "nginx.conf"), "w") as f:
                f.write(NGINX_CONF.format(dir=nginx_dir, port=port, a=f"127.0.0.1:{ports[0]}", b=f"127.0.0.1:{ports[1]}"))
            nginx = subprocess.Popen(["nginx", "-p", nginx_dir, "-c", os.path.join(nginx_dir, "nginx.conf"),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_ready(f"http://127.0.0.1:{port}")
            both = run_load(f"127.0.0.1:{port}", "--max-rate", str(servers[0].pid))
            figures["pg_two_replicas_load_max_rps_p99_200"] = both["load_max_rps_p99_200"]
            figures["pg_two_replicas_load_steps"] = both["load_steps"]
            # The timer through the proxy: the teacher's presses land on one replica or the
            # other, the students' streams on both.
            db_teacher, db_student = pg_timer_people(url)
            live = json.loads(subprocess.run([FANOUT, f"127.0.0.1:{port}", str(servers[0].pid), "2000",
                                              db_teacher, db_student, "5А"],
                                             check=True, capture_output=True, text=True, timeout=600).stdout)
            figures["pg_two_replicas_live"] = live
        else:
            print("bench: nginx is not installed (make bench installs it); two replicas not measured")
    finally:
        if nginx:
            stop(nginx)
        for server in servers:
            stop(server)
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(nginx_dir, ignore_errors=True)
    return figures


def pg_timer_people(url):
    def one(sql):
        return subprocess.run([PSQL, "-tA", url, "-c", sql], check=True, capture_output=True, text=True).stdout.strip()
    teacher = one("SELECT u.login FROM lessons l JOIN users u ON u.id = l.teacher_id JOIN classes c ON c.id = l.class_id"
                  " WHERE c.name = '5А' AND l.weekday = 2 AND l.weeks = 'all' ORDER BY l.period LIMIT 1")
    student = one("SELECT u.login FROM enrolments e JOIN users u ON u.id = e.student_id JOIN classes c"
                  " ON c.id = e.class_id WHERE c.name = '5А' ORDER BY u.login LIMIT 1")
    return teacher, student


# One school of 2,000 students at its busiest (08:00): every student opens the timetable page
# and their week within ten minutes (2 requests), a third follow the timer page (1), a class's
# 150 teachers open their timer page and week (2) and start a timer (1); 2 × 2,000 + 667 + 3 × 150
# requests in 600 s. Feedback (one per student per 45-minute lesson) and parents' evening reads
# come later and weigh less.
MORNING_RPS_PER_SCHOOL = (2 * 2000 + 667 + 3 * 150) / 600


def schools_per_core(sqlite_rps, pg):
    cores = os.cpu_count() or 1
    out = {"morning_rps_per_school": round(MORNING_RPS_PER_SCHOOL, 2), "cores": cores}
    for name, rps in (("sqlite", sqlite_rps), ("postgres", pg.get("pg_load_max_rps_p99_200")),
                      ("postgres_two_replicas_nginx", pg.get("pg_two_replicas_load_max_rps_p99_200"))):
        out[name] = round(rps / MORNING_RPS_PER_SCHOOL / cores, 1) if rps else None
    return out


def main():
    if not os.path.exists(BINARY):
        sys.exit(f"bench: {BINARY} missing; run `make build` first")
    data = tempfile.mkdtemp(prefix="sabak-bench-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Every stream is a socket on each side: let the server and the load generator open them.
    import resource
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # A school day, so the timer bench has a lesson "today" (the clock runs on from Wednesday 08:35).
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=6)))
    wednesday = now.date() - datetime.timedelta(days=now.weekday()) + datetime.timedelta(days=2)
    env = dict(os.environ, SABAK_DATA_DIR=data, SABAK_ADDR=f"127.0.0.1:{port}", LEPTOS_SITE_ROOT=SITE, RUST_LOG="warn", SABAK_DEMO="true",
               SABAK_CLOCK_START=f"{wednesday.isoformat()}T08:35")
    # The big school (80 classes, 2,000 students, 150 teachers) rather than the demo.
    started = time.time()
    subprocess.run([BINARY, "seed", "--big"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"seeded the big school in {time.time() - started:.1f} s")
    entries, expert_entry = open_judging(data, wednesday)
    timer_teacher, timer_student = timer_people(data)
    server = subprocess.Popen([BINARY], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    static_copy = os.path.join(SITE, "bench-today.html")
    try:
        wait_ready(base)
        # The server writes brotli copies of the static files at start-up; measure what it then sends.
        wasm = os.path.join(SITE, "pkg", "sabak.wasm")
        for _ in range(600):
            if os.path.exists(wasm + ".br") and os.path.getmtime(wasm + ".br") >= os.path.getmtime(wasm):
                break
            time.sleep(0.1)
        def session_of(login):
            jar = os.path.join(data, f"cookies-{login}")
            curl("-c", jar, "-o", "/dev/null", "-H", "Accept: text/html", "-H", f"Origin: {base}",
                 "--data", f"login={login}&password=sabak2026", base + "/api/login")
            value = next((line.split("\t")[-1].strip() for line in open(jar) if "sabak_session" in line), None)
            return value and f"sabak_session={value}"
        cookie = session_of("student")
        html = curl("-H", f"Cookie: {cookie}", "-H", "Accept-Language: ky", base + "/timetable")
        assert "Сабак жадыбалы" in html, "the timetable page did not render"
        with open(static_copy, "w") as f:
            f.write(html)
        # First visits: every file each page needs, as compressed as the server sends it.
        routes = route_bytes.measure(base, strict=False)
        route_bytes.table(routes)
        sizes = routes["student /timetable"]
        ssr = wrk(base + "/timetable", cookie)
        static = wrk(base + "/bench-today.html", cookie)
        ssr_64 = wrk(base + "/timetable", cookie, connections=64)
        # The same page from a second server on the same database with the read cache off:
        # what the cache saves (issue 19's before and after in one run).
        uncached_port = free_port()
        uncached_server = start_server(dict(env, SABAK_ADDR=f"127.0.0.1:{uncached_port}", SABAK_READ_CACHE="false"))
        try:
            wait_ready(f"http://127.0.0.1:{uncached_port}")
            uncached = wrk(f"http://127.0.0.1:{uncached_port}/timetable", cookie)
        finally:
            stop(uncached_server)
        queries = {"cached": queries_per_page(env, data, "true"), "uncached": queries_per_page(env, data, "false")}
        pages = {"student /timetable": ("student", "/timetable"), "student /timer": ("student", "/timer"),
                 "parent /notices": ("parent", "/notices"),
                 "expert /contest/entry/:id": ("expert", f"/contest/entry/{expert_entry}"),
                 "organiser /contest/results": ("organiser", "/contest/results")}
        sessions = {login: session_of(login) for login, _ in pages.values()}
        lighthouse_pages = {name: lighthouse(base + path, sessions[login]) for name, (login, path) in pages.items()
                            if sessions[login] and (expert_entry or login != "expert")}
        live, mixed, open_load, driver = {}, {}, {}, {}
        if not PAGES_ONLY:
            live = json.loads(subprocess.run([FANOUT, f"127.0.0.1:{port}", str(server.pid), SUBSCRIBERS,
                                              timer_teacher, timer_student, "5А"],
                                             check=True, capture_output=True, text=True, timeout=600).stdout)
            # Students reading and giving feedback, parents reading notices, teachers reading weeks.
            mixed = run_load(f"127.0.0.1:{port}", LOAD_USERS, LOAD_SECONDS, timeout=900)
            # The open model: requests arriving at a rate, raised until p99 passes 200 ms.
            open_load = run_load(f"127.0.0.1:{port}", "--max-rate", str(server.pid))
            driver.update(json.loads(subprocess.run([DRIVER, f"sqlite://{os.path.join(data, 'sabak.db')}"],
                                                    check=True, capture_output=True, text=True, timeout=600).stdout))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        if os.path.exists(static_copy):
            os.remove(static_copy)
        shutil.rmtree(data, ignore_errors=True)

    pg = {}
    if not PAGES_ONLY and os.environ.get("SABAK_TEST_PG_URL"):
        pg = postgres_figures(os.environ["SABAK_TEST_PG_URL"], wednesday,
                              {k: v for k, v in env.items() if k not in ("SABAK_DATA_DIR", "SABAK_ADDR")})
    elif not PAGES_ONLY:
        print("bench: no PostgreSQL (make bench starts one with scripts/with-postgres.sh); its figures stay null")

    # Pure code, no server: 3 nominations x 1,000 entries x 5 experts x 9 criteria.
    ranking = {} if PAGES_ONLY else json.loads(
        subprocess.run([RANKING], check=True, capture_output=True, text=True, timeout=300).stdout)
    report = {k: None for k in KEYS}
    report.update({
        "today_first_visit_bytes": sizes["total"],
        "today_first_visit_wasm_bytes": sizes["wasm"],
        "today_first_visit_parts": sizes,
        "max_route_first_visit_bytes": max(p["total"] for p in routes.values()),
        "route_first_visit_bytes": {k: p["total"] for k, p in sorted(routes.items())},
        "route_first_visit_parts": routes,
        "today_ssr_rps": ssr["rps"], "today_static_rps": static["rps"],
        "today_ssr_to_static_ratio": round(ssr["rps"] / static["rps"], 3),
        "today_ssr_p50_ms": ssr["p50"], "today_ssr_p99_ms": ssr["p99"],
        "today_static_p50_ms": static["p50"], "today_static_p99_ms": static["p99"],
        "today_ssr_non2xx": ssr["non2xx"],
        "today_ssr_p99_ms_64_connections": ssr_64["p99"], "today_ssr_rps_64_connections": ssr_64["rps"],
        "today_ssr_rps_without_read_cache": uncached["rps"], "today_ssr_p99_ms_without_read_cache": uncached["p99"],
        "today_ssr_to_static_ratio_without_read_cache": round(uncached["rps"] / static["rps"], 3),
        "queries_per_page": queries,
        "today_ssr_queries": queries["cached"].get("student /timetable"),
        "today_ssr_queries_without_read_cache": queries["uncached"].get("student /timetable"),
        "load_max_rps_p99_200": {"sqlite": open_load.get("load_max_rps_p99_200"),
                                 "postgres": pg.get("pg_load_max_rps_p99_200"),
                                 "postgres_two_replicas_nginx": pg.get("pg_two_replicas_load_max_rps_p99_200")},
        "load_steps": {"sqlite": open_load.get("load_steps"), "postgres": pg.get("pg_load_steps"),
                       "postgres_two_replicas_nginx": pg.get("pg_two_replicas_load_steps")},
        "schools_of_2000_per_core": schools_per_core(open_load.get("load_max_rps_p99_200"), pg),
        "pg_today_ssr_rps": pg.get("pg_today_ssr_rps"), "pg_today_ssr_p99_ms": pg.get("pg_today_ssr_p99_ms"),
        "pg_two_replicas_live": pg.get("pg_two_replicas_live"),
        "driver_us_per_query": {"sqlite": driver.get("driver_sqlite"), "postgres": pg.get("driver_postgres")},
        **live,
        **mixed,
        **ranking,
        "lighthouse_lcp_ms": (lighthouse_pages.get("student /timetable") or (None, None))[0],
        "lighthouse_tbt_ms": (lighthouse_pages.get("student /timetable") or (None, None))[1],
        "lighthouse_pages": {k: {"lcp_ms": v[0], "tbt_ms": v[1]} for k, v in lighthouse_pages.items()},
        "lighthouse_lcp_ms_max": max((v[0] for v in lighthouse_pages.values() if v[0] is not None), default=None),
        "lighthouse_tbt_ms_max": max((v[1] for v in lighthouse_pages.values() if v[1] is not None), default=None),
        "mixed_load_contest_entries": entries,
        "setup": {"dataset": "big school (seed --big: 80 classes, 2,000 students, 150 teachers)", "connections": int(CONNECTIONS),
                  "seconds": int(DURATION), "cores": os.cpu_count(), "tool": "wrk 4.1, loopback, server and wrk on one machine"},
    })
    out_dir = os.path.join(ROOT, "target", "bench")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"{'figure':32} value")
    for key in KEYS + ["today_ssr_rps_without_read_cache", "today_ssr_to_static_ratio_without_read_cache",
                       "today_ssr_p99_ms_64_connections", "today_ssr_queries", "today_ssr_queries_without_read_cache",
                       "load_max_rps_p99_200", "schools_of_2000_per_core", "pg_today_ssr_rps", "today_ssr_non2xx", "live_fanout_p50_ms", "live_fanout_max_ms", "live_fanout_missing",
                       "live_rss_mib_before", "live_connect_seconds", "ranking_max_ms", "ranking_entries",
                       "mixed_load_requests", "mixed_load_p50_ms", "mixed_load_rps"]:
        print(f"{key:32} {report.get(key)}")
    print(f"{'first visit parts (bytes)':32} {sizes}")
    for name, (lcp, tbt) in lighthouse_pages.items():
        print(f"{'lighthouse ' + name:32} LCP {lcp} ms, TBT {tbt} ms")
    print(f"written: {os.path.join(out_dir, 'report.json')}")


if __name__ == "__main__":
    main()
