;; priority = "high"
;; category = "data-safety"
;; summary = "A Railway or Fly service writes local state and has no volume."
;; message = "The service keeps ${what} on its own disk (`${path}`), and this ${platform} config gives it no persistent volume: the disk is replaced on every deploy and restart, so that data is lost. ${remedy}"
;; docs = '''
;; ## What it finds
;; A `railway.json`/`railway.toml`, or a `fly.toml` without a `[mounts]` section, in a
;; project whose code (outside tests and scripts) keeps state on the local disk:
;; - a SQLite database file (`"sqlite:///./app.db"`, `sqlite3.connect("app.db")`,
;;   `aiosqlite`, LangGraph's SQLite checkpointer);
;; - a local vector store or index: `chromadb.PersistentClient`, `QdrantClient(path=...)`,
;;   `lancedb.connect(...)`, LangChain's `Chroma(persist_directory=...)`, FAISS
;;   `save_local(...)`, LlamaIndex `persist(persist_dir=...)`/`from_defaults(persist_dir=...)`;
;; - an uploads folder (`UPLOAD_DIR = "uploads"`, a settings field `upload_dir`).
;;
;; Railway cannot declare a volume in `railway.json` or `railway.toml`: volumes are attached
;; in the dashboard or with `railway volume add`. Railway then sets
;; `RAILWAY_VOLUME_MOUNT_PATH`, so code (or settings) that reads `RAILWAY_VOLUME_MOUNT_PATH`
;; counts as using a volume and silences the Railway finding. Fly declares its volume in
;; `fly.toml` (`[mounts]`), and the same id covers it: one question, two platforms.
;;
;; ## Why it matters in production
;; Railway and Fly run each deployment from a fresh image: whatever the previous container
;; wrote to its disk — the SQLite database, the uploaded documents, the vector index built
;; from them — is gone after the next deploy, restart or crash, silently. Users lose their
;; conversations and the app answers from an empty index.
;;
;; ## Example
;; ```python
;; class Settings(BaseSettings):
;;     database_url: str = "sqlite:///./data/app.db"
;;     chroma_path: str = "./data/chroma"
;; ```
;; with a `railway.json` and no volume.
;;
;; ## Fix
;; Railway: attach a volume mounted at the data folder (`railway volume add --mount-path
;; /app/data`) and build the paths from it:
;; ```python
;; DATA_DIR = Path(os.environ.get("RAILWAY_VOLUME_MOUNT_PATH", "./data"))
;; ```
;; Fly: create a volume (`fly volumes create data`) and mount it:
;; ```toml
;; [mounts]
;; source = "data"
;; destination = "/app/data"
;; ```
;; Better still for a database: a managed PostgreSQL (see `sqlite-in-production`), and object
;; storage for uploads. There is no quick fix: the volume is created on the platform.
;;
;; ## References
;; - Railway docs, "Volumes": https://docs.railway.com/reference/volumes
;; - Railway docs, "Config as Code": https://docs.railway.com/reference/config-as-code
;; - Fly.io docs, "Fly Volumes overview": https://fly.io/docs/volumes/overview/
;; - Fly.io docs, "The `[mounts]` section": https://fly.io/docs/reference/configuration/#the-mounts-section
;; '''
