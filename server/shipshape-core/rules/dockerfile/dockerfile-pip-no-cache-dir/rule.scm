;; priority = "low"
;; category = "performance"
;; summary = "`pip install` keeps its download cache in the image."
;; message = "`pip install` without `--no-cache-dir` leaves its wheel cache in the layer, tens to hundreds of MB the image never uses; add `--no-cache-dir` (or set `PIP_NO_CACHE_DIR=1`)."
;; equivalents = ["DL3042"]
;; docs = '''
;; ## What it finds
;; `pip install` (also `pip3`, `python -m pip`) in a stage that ends up in the
;; final image, without `--no-cache-dir`. Not reported: `PIP_NO_CACHE_DIR` set
;; by an earlier `ENV` (or inline), a `RUN --mount=type=cache` (the cache lives
;; outside the image), a `RUN` that purges the cache itself, and builder stages
;; whose files are copied out selectively.
;;
;; ## Why it matters in production
;; The cache (`/root/.cache/pip`) is written into the same layer as the
;; packages, so deleting it later does not shrink the image. Larger images pull
;; more slowly on every deploy and autoscaling event.
;;
;; ## Example
;; ```dockerfile
;; RUN pip install -r requirements.txt
;; ```
;;
;; ## Fix
;; ```dockerfile
;; RUN pip install --no-cache-dir -r requirements.txt
;; ```
;; The quick fix adds `--no-cache-dir` after `install`. It is safe: the same
;; packages are installed; only the cache is not kept. With BuildKit, a cache
;; mount (`RUN --mount=type=cache,target=/root/.cache/pip pip install ...`) is
;; the faster alternative.
;;
;; ## References
;; - pip docs, "Caching"
;; - hadolint DL3042 ("Avoid use of cache directory with pip")
;; '''
;;
;; [fix]
;; title = "Add `--no-cache-dir`"
;; safe = true
;; edits = [{ capture = "install", insert_after = " --no-cache-dir" }]
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-in-deployed-image? @instruction)
  (#not-docker-cache-mount? @instruction "")
  (#not-docker-variable-set? @instruction "PIP_NO_CACHE_DIR")
  (#not-match? @instruction "\\.cache/pip[\\s\\S]*rm |rm [\\s\\S]*\\.cache/pip|pip cache purge|rm -rf /root/\\.cache")
  (#docker-command! @instruction "finding.end")
  (#docker-pip-install! "finding.end" "install")
  (#docker-program! "finding.end" "" "finding")
  (#not-docker-word? "finding.end" "^PIP_NO_CACHE_DIR=")
  (#not-docker-word? "install" "^--no-cache-dir$"))
