-- wrk script: one InvokeModel call (Claude 3 Haiku, small prompt) per request.
wrk.method = "POST"
wrk.path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,' ..
           '"messages":[{"role":"user","content":"The sky is blue. Grass is green."}]}'
