-- wrk script for POST /api/v1/evaluations/feedback: a rating with siblings and tags, as Open WebUI's rating
-- form sends it. The caller's token comes from the TOKEN environment variable.
--   TOKEN=... wrk -t2 -c64 -d10s -s bench/feedback-create.lua http://127.0.0.1:PORT
local models = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "llama3.1:8b", "mistral:7b", "qwen2.5:7b"}
local tags = {"coding", "helpful", "concise", "reasoning", "formatting", "factual"}
local counter = 0

wrk.method = "POST"
wrk.path = "/api/v1/evaluations/feedback"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0x8000, 0xbfff), math.random(0, 0xffffffff) * 0x10000 + math.random(0, 0xffff))
end

request = function()
  counter = counter + 1
  local m = models[counter % #models + 1]
  local s = models[(counter + 2) % #models + 1]
  local rating = (counter % 3 == 0) and -1 or 1
  local body = string.format(
    '{"type":"rating","data":{"rating":%d,"model_id":"%s","sibling_model_ids":["%s"],' ..
    '"reason":"%s","comment":"Clear answer, but the second code sample did not compile.",' ..
    '"tags":["%s","%s"],"details":{"rating":%d}},' ..
    '"meta":{"arena":true,"chat_id":"%s","message_id":"%s","message_index":5,"tags":[],"base_models":{}}}',
    rating, m, s, rating == 1 and "Accurate information" or "Not helpful",
    tags[counter % #tags + 1], tags[(counter + 3) % #tags + 1], counter % 10 + 1, uuid(), uuid())
  return wrk.format(nil, nil, nil, body)
end
