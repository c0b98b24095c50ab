NOTES: dict[int, dict] = {}
