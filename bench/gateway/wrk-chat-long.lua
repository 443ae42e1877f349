-- wrk script: POST an OpenAI chat completion carrying a long conversation (MESSAGES turns of ~500 characters,
-- default 100: a ~55 KB body, what a client sends deep into a chat). env STREAM=0|1, AUTH=<bearer token>.
local stream = os.getenv("STREAM") == "1"
local n = tonumber(os.getenv("MESSAGES") or "100")
local turns = {}
local text = string.rep("The quick brown fox jumps over the lazy dog. ", 11)
for i = 1, n do
  turns[#turns + 1] = string.format('{"role":"%s","content":"%d %s"}', (i % 2 == 1) and "user" or "assistant", i, text)
end
wrk.method = "POST"
wrk.body = '{"model":"fake-model","stream":' .. (stream and "true" or "false") .. ',"messages":[' .. table.concat(turns, ",") .. ']}'
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end
