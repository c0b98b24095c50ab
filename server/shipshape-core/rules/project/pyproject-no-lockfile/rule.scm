;; priority = "medium"
;; category = "reliability"
;; summary = "`pyproject.toml` dependencies with open ranges and no lock file."
;; message = "${count} dependencies in `pyproject.toml` have open version ranges and there is no lock file (uv.lock, poetry.lock, pdm.lock, a compiled requirements file): builds are not reproducible."
;; docs = """
;; ## What it finds
;; A service whose `[project].dependencies` (or poetry dependencies) use open ranges, with no lock
;; file (uv.lock, poetry.lock, pdm.lock, Pipfile.lock, a hashed or compiled requirements file, a
;; fully pinned requirements file, or the `uv.lock` of a uv workspace above it that has it as a
;; member: named in the lock's `[manifest] members` or in the workspace's
;; `[tool.uv.workspace] members`). Reported on the `[project]` table. A project whose root holds a
;; Dockerfile or a deploy config is a service whatever it imports (a worker looping over a queue).
;;
;; ## Why it matters in production
;; Ranges are right for libraries; an application needs the exact set it was tested with. Without
;; a lock, every build resolves again.
;;
;; ## Example
;; ```toml
;; [project]
;; dependencies = ["fastapi>=0.110", "sqlalchemy>=2"]
;; ```
;;
;; ## Fix
;; Run `uv lock` (or `poetry lock`, `pdm lock`, `pip-compile`), commit the lock file and install
;; from it in the Dockerfile. No quick fix: creating a lock needs the resolver.
;;
;; ## References
;; - uv, "Locking and syncing": https://docs.astral.sh/uv/concepts/projects/sync/
;; """
