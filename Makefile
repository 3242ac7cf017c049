# Every install step lives here, so a fresh clone needs only python3 (and the system's package
# manager for Chromium, used by the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
ECHARTS := node_modules/echarts/dist/echarts.min.js

.PHONY: demo serve dev test test-sqlite test-postgres install install-test browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python $(ECHARTS)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python $(ECHARTS)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# Front-end assets (ECharts) come from npm, pinned by package-lock.json, and are served as static
# files: no CDN. `npm ci` installs exactly the locked versions; rerun when the lockfile changes.
# Without npm: installed from the system's packages (Debian/Ubuntu) when run as root, else a message.
$(ECHARTS): package-lock.json
	@if command -v npm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "未找到 npm：正在从系统软件源安装 Node.js 与 npm（apt-get install nodejs npm）…"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null; }; \
	else \
		echo "错误：未找到 npm。首页图表所需的 ECharts 须通过 npm 按 package-lock.json 安装，请先安装 Node.js 与 npm（如 sudo apt-get install -y nodejs npm）后重试；以 root 运行 make 时会自动安装。" >&2; \
		exit 1; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo runs on the production server (gunicorn + whitenoise, with the supervised worker), as a
# bureau would; `jianguan serve` prints the address and the demo accounts. `make dev`: Django's
# development server instead.
demo: install
	$(BIN)/jianguan migrate --no-input
	$(BIN)/jianguan demo --if-empty
	$(BIN)/jianguan serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/jianguan serve --host $(HOST) --port $(PORT)

dev: install
	$(BIN)/jianguan serve --dev --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests; never a downloaded browser. Without root (or without
# the package) the browser tests print that they were skipped; CI runs as root and installs it.
browser:
	@if [ -x /usr/bin/chromium ] && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "正在安装 Debian 的 chromium 与中文字体（浏览器测试用，页面宽度按中文字形测量）…"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei >/dev/null; }; \
	else echo "注意：无法安装 /usr/bin/chromium（需要 root 与 apt-get），浏览器测试将被跳过"; fi

test: install-test browser test-sqlite test-postgres

# Each pass runs the suite in two steps that together select every test: all but the browser tests in
# TEST_WORKERS processes (pytest-xdist; each worker has its own test database, and keeps pytest-django's
# order: transactional tests after the others), then the browser tests in one process, one Chromium at
# a time. TEST_WORKERS=0 runs the first step in a single process too.
TEST_WORKERS ?= 2
PYTEST_PARALLEL = $(BIN)/pytest -n $(TEST_WORKERS) -m "not browser"
PYTEST_BROWSER = $(BIN)/pytest -m browser

test-sqlite:
	@echo "== 测试（SQLite）=="
	env -u DATABASE_URL $(PYTEST_PARALLEL)
	env -u DATABASE_URL $(PYTEST_BROWSER)

test-postgres:
	@if [ -n "$$JIANGUAN_TEST_DATABASE_URL" ]; then \
		echo "== 测试（PostgreSQL）=="; \
		DATABASE_URL="$$JIANGUAN_TEST_DATABASE_URL" $(PYTEST_PARALLEL) && \
		DATABASE_URL="$$JIANGUAN_TEST_DATABASE_URL" $(PYTEST_BROWSER); \
	else echo "== 未设置 JIANGUAN_TEST_DATABASE_URL：跳过 PostgreSQL 测试 =="; fi

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/jianguan makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/import_businesses.py

clean:
	rm -rf $(VENV) var/test_* .pytest_cache
