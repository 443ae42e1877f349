-- wrk script: POST an OpenAI chat completion.
-- env STREAM=0|1, AUTH=<bearer token, optional>, PORTKEY_CUSTOM_HOST=<upstream base URL: adds Portkey's routing headers>
local stream = os.getenv("STREAM") == "1"
wrk.method = "POST"
wrk.body = '{"model":"fake-model","stream":' .. (stream and "true" or "false") ..
    ',"messages":[{"role":"user","content":"Say hello in twenty tokens"}]}'
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end
local custom = os.getenv("PORTKEY_CUSTOM_HOST")
if custom and custom ~= "" then
  wrk.headers["x-portkey-provider"] = "openai"
  wrk.headers["x-portkey-custom-host"] = custom
end

-- No response() callback: it would make wrk hand every body to Lua. wrk counts non-2xx itself.
