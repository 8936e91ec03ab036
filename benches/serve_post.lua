-- wrk script: each request proposes a new AI-application assessment (a distinct key per request,
-- so every request is a real write: proposal, audit row, in one transaction).
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  token = args[1]
  run = args[2] or "r"
  n = 0
end
function request()
  n = n + 1
  local body = '{"name":"Bench app","firm":"Bench Ltd","country":"CHN","note":"benchmark write",' ..
    '"ratings":[{"criterion":"legal-data-requests","rating":"concern","text":"bench","source":"seed L6800-6810"}]}'
  return wrk.format("POST", "/api/v1/app-assessments/bench-" .. run .. "-" .. tid .. "-" .. n .. "/proposals",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
