import anthropic
import httpx
import openai
from anthropic import AsyncAnthropic
from openai import AsyncOpenAI as Client
from openai import OpenAI

from app.config import settings

# expect: sdk-client-without-timeout
client = OpenAI()
# expect: sdk-client-without-timeout
llm = Client(api_key=settings.openai_api_key)
# expect: sdk-client-without-timeout
claude = AsyncAnthropic(api_key=settings.anthropic_api_key, max_retries=3)
# expect: sdk-client-without-timeout
bedrock = anthropic.AnthropicBedrock(
    aws_region="us-east-1",
)
# expect: sdk-client-without-timeout
azure = openai.AsyncAzureOpenAI(azure_endpoint=settings.azure_endpoint, api_version="2024-06-01")

# OK: a timeout, an http_client with its own, **kwargs, other SDKs
timed = OpenAI(api_key=settings.openai_api_key, timeout=30.0)
streaming = AsyncAnthropic(timeout=httpx.Timeout(60.0, connect=5.0))
custom = Client(http_client=httpx.AsyncClient(timeout=20.0))
configured = OpenAI(**settings.openai_options)
other = OpenAIEmbeddings(model="text-embedding-3-small")
