from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/login/access-token")


def get_db():
    yield {}


# Names without an auth word: authenticated through what they depend on.
def load_caller(token: str = Depends(oauth2_scheme)) -> dict:
    if not token:
        raise HTTPException(status_code=401)
    return {"token": token}


Caller = Annotated[dict, Depends(load_caller)]
SessionDep = Annotated[dict, Depends(get_db)]


def common_parameters(caller: Caller, session: SessionDep, page: int = 1) -> dict:
    return {"caller": caller, "session": session, "page": page}


CommonParameters = Annotated[dict, Depends(common_parameters)]
