;; priority = "high"
;; category = "security"
;; summary = "A route that changes data without the authentication most routes of its router require."
;; message = "`${method} ${path}` requires no authentication, while ${authenticated} of the ${total} other routes on `${owner}` do: add the same dependency (or mark the route public in a suppression comment if it is meant to be)."
;; docs = """
;; ## What it finds
;; A route that changes data (`POST`, `PUT`, `PATCH`, `DELETE`) on a FastAPI router or app (or a
;; Flask blueprint) that has no authentication of its own while most of its neighbours (the
;; other routes registered on the same router, at least two) require it: through a dependency
;; with an authentication name in their parameters or decorator (`Depends(get_current_user)`,
;; `Security(...)`, a `CurrentUser = Annotated[User, Depends(get_current_user)]` alias, an
;; `OAuth2PasswordBearer`/`HTTPBearer`/`APIKeyHeader` scheme), a decorator (`@login_required`,
;; `@jwt_required()`, Starlette's `@requires("authenticated")`) or a check of their own
;; (`request.user.is_authenticated`). A dependency defined in another module counts by what it
;; does, not only by its name: `Caller = Annotated[User, Depends(load_caller)]` in `deps.py`
;; used as `caller: Caller`, `dependencies=[Depends(deps.load_caller)]`, or a function such as
;; `common_parameters(caller: Caller, ...)` whose own parameters depend on an
;; `OAuth2PasswordBearer` instance, however many steps away. Public reads among authenticated routes (option lists,
;; shared pages) are common and meant, so `GET` routes are not reported.
;;
;; Routes authenticated for them count as authenticated: `APIRouter(dependencies=[...])`,
;; `include_router(..., dependencies=[...])` anywhere on the way to the app,
;; `FastAPI(dependencies=[...])`; a project with authentication middleware (one that rejects
;; requests, not Starlette's or Django's `AuthenticationMiddleware`, which only say who the
;; caller is) is not checked.
;; Public routes are never reported: login, logout, token, signup, register, password reset,
;; OAuth callbacks, webhooks, health checks, documentation and metrics.
;;
;; ## Why it matters in production
;; A route that forgot its dependency is public while everything around it looks protected:
;; reviews and tests that look at the router miss it, and attackers enumerate exactly such routes.
;;
;; ## Example
;; ```python
;; @router.get("/items/{item_id}")
;; def read_item(item_id: int, user: CurrentUser): ...
;;
;; @router.delete("/items/{item_id}")
;; def delete_item(item_id: int): ...
;; ```
;;
;; ## Fix
;; ```python
;; @router.delete("/items/{item_id}")
;; def delete_item(item_id: int, user: CurrentUser): ...
;; ```
;; Or authenticate the whole router: `APIRouter(dependencies=[Depends(get_current_user)])`.
;; No quick fix: which dependency the route needs is a design decision.
;;
;; ## References
;; - OWASP API Security Top 10, API5:2023 Broken Function Level Authorization
;; - FastAPI, "Dependencies in path operation decorators": https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-in-path-operation-decorators/
;; """
