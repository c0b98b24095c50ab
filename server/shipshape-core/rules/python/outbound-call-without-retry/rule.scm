;; priority = "high"
;; category = "reliability"
;; summary = "An external service is called through a client that never retries, with no retry policy around it."
;; message = "`${function}` does not retry: every call through it fails on the first dropped connection, 429 or 503 of the service, and nothing in this module retries either. Wrap the calls in a retry policy with backoff (tenacity `@retry`, `backoff`, `stamina`) and a circuit breaker for a dependency that can be down."
;; docs = '''
;; ## What it finds
;; A client of an external service built where no retry or circuit-breaker policy can be on
;; the path of its calls — the module imports none of tenacity, backoff, stamina, retrying,
;; aiobreaker, pybreaker or circuitbreaker:
;; - a client of an SDK that does not retry: qdrant-client (`QdrantClient`,
;;   `AsyncQdrantClient`);
;; - an OpenAI-style generated client (`openai`, `anthropic`, `groq`, and LangChain's
;;   `ChatOpenAI`, `AzureChatOpenAI`, `ChatAnthropic`, `ChatGroq`) whose own retries are
;;   turned off with `max_retries=0`.
;;
;; Clients with retries on are not reported: the generated SDKs (OpenAI, Anthropic, Groq) and
;; Fern-generated ones (ElevenLabs, Cohere) retry twice with backoff by default. Tests and
;; scripts are skipped. The rule looks at one module: a retry wrapper imported from your own
;; package is not seen, so suppress the finding there with that reason.
;;
;; ## Why it matters in production
;; Networks drop connections, providers answer 429 when a quota window fills and 502/503
;; during deployments — several times a day at scale. Without a retry each of those is a
;; failed user request (a lost memory write, a chat answer that never comes) for a fault that
;; a second attempt 200 ms later would not have seen. Retries need backoff and a bound, and a
;; dependency that stays down needs a circuit breaker, so that the service fails fast
;; instead of queueing every request behind the timeouts of a dead upstream.
;;
;; ## Example
;; ```python
;; from qdrant_client import AsyncQdrantClient
;;
;; qdrant = AsyncQdrantClient(url=settings.qdrant_url, timeout=10)
;;
;; async def search_memories(vector):
;;     return await qdrant.query_points("memories", query=vector, limit=5)
;; ```
;;
;; ## Fix
;; ```python
;; from qdrant_client import AsyncQdrantClient
;; from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse
;; from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter
;;
;; qdrant = AsyncQdrantClient(url=settings.qdrant_url, timeout=10)
;;
;; @retry(
;;     retry=retry_if_exception_type((ResponseHandlingException, UnexpectedResponse)),
;;     wait=wait_exponential_jitter(initial=0.2, max=5),
;;     stop=stop_after_attempt(3),
;;     reraise=True,
;; )
;; async def search_memories(vector):
;;     return await qdrant.query_points("memories", query=vector, limit=5)
;; ```
;; For an OpenAI-style client, drop `max_retries=0` (or set the number you want). Retry only
;; idempotent operations (reads, upserts by id), and keep the attempts inside the request's
;; time budget. There is no quick fix: which calls are safe to repeat is yours to decide.
;;
;; ## References
;; - tenacity documentation: https://tenacity.readthedocs.io/
;; - openai-python README, "Retries": https://github.com/openai/openai-python#retries
;; - AWS Builders' Library, "Timeouts, retries, and backoff with jitter": https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
;; - Martin Fowler, "CircuitBreaker": https://martinfowler.com/bliki/CircuitBreaker.html
;; '''
; A client of an SDK that never retries.
(call
  function: (_) @function @finding
  (#resolves-to? @function "qdrant_client.QdrantClient" "qdrant_client.AsyncQdrantClient")
  (#not-imports? "tenacity" "backoff" "stamina" "retrying" "aiobreaker" "pybreaker" "circuitbreaker")
  (#not-test-path?)
  (#not-script-path?))

; A client that retries by default, with its retries turned off.
(call
  function: (_) @function
  arguments: (argument_list) @arguments
  (#resolves-to? @function
    "openai.OpenAI" "openai.AsyncOpenAI" "openai.AzureOpenAI" "openai.AsyncAzureOpenAI"
    "anthropic.Anthropic" "anthropic.AsyncAnthropic" "groq.Groq" "groq.AsyncGroq"
    "langchain_openai.ChatOpenAI" "langchain_openai.AzureChatOpenAI"
    "langchain_anthropic.ChatAnthropic" "langchain_groq.ChatGroq")
  (#kwarg-matches? @arguments "max_retries" "^0$")
  (#kwarg! @arguments "max_retries" "finding")
  (#not-imports? "tenacity" "backoff" "stamina" "retrying" "aiobreaker" "pybreaker" "circuitbreaker")
  (#not-test-path?)
  (#not-script-path?)
  (#set! message "`max_retries=0` turns off the retries `${function}` makes by default (two, with backoff, on connection errors, 408, 409, 429 and 5xx), and nothing in this module retries instead: every transient failure of the provider becomes a failed request. Drop it, or wrap the calls in a retry policy with backoff (tenacity `@retry`) and a circuit breaker."))
