import os

# expect: env-example-missing
API_KEY = os.environ["API_KEY"]
