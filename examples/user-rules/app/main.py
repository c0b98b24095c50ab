def parse_limits(request_body: str) -> dict:
    return eval(request_body)
