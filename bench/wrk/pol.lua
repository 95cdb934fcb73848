-- wrk script: one Pol instantPayment per request, each with a trackId of its own, rotating over Pol-bank accounts.
-- Environment: HAVALE_TOKEN (bearer token), HAVALE_RUN (a tag that makes this run's trackIds unique),
-- HAVALE_DELAY_MS (optional: pause between a connection's requests, for a fixed-rate run),
-- HAVALE_TOKENS_FILE (optional: one token a line; requests take them in turn, each a payer of its own).
local token = os.getenv("HAVALE_TOKEN")
local tokens_file = os.getenv("HAVALE_TOKENS_FILE")
local tokens = {}
local run = os.getenv("HAVALE_RUN") or "r"
local delay_ms = tonumber(os.getenv("HAVALE_DELAY_MS") or "0")
local destinations = {
  "IR370120000000003141592653", "IR440610000000003141592761", "IR780700000000003141593063", "IR070190000000003141593559",
  "IR900560000000003141594249", "IR740780000000003141595133", "IR340170000000003141596211", "IR980570000000003141597483",
  "IR400550000000003141598949", "IR090130000000003141600609", "IR550150000000003141602463", "IR830690000000003141609189",
}
local threads = {}
local counter = 0
-- A global, not a local: setup() gives each thread its number with thread:set, which sets a global of that
-- thread's own Lua state, and a local of the same name would hide it (every thread would be number 0 and two
-- threads would send the same trackIds, half the requests being replays).
thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  if tokens_file and tokens_file ~= "" then
    for line in io.lines(tokens_file) do
      if line ~= "" then table.insert(tokens, line) end
    end
  end
  wrk.headers["Authorization"] = "Bearer " .. (token or tokens[1])
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local destination = destinations[(counter % #destinations) + 1]
  local body = '{"amount":1000,"description":"bench","reasonDescription":"19","destinationFirstname":"Mahmoud",' ..
    '"destinationLastname":"Dowlatabadi","destinationNumber":"' .. destination .. '"}'
  local path = "/oak/v2/clients/havale-demo/instantPayment?trackId=" .. run .. "-" .. thread_id .. "-" .. counter
  if #tokens > 0 then
    -- Threads start at different payers, so two threads do not walk the same payers in step.
    wrk.headers["Authorization"] = "Bearer " .. tokens[((counter + thread_id * 499) % #tokens) + 1]
  end
  return wrk.format("POST", path, nil, body)
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%.2f p99=%.2f mean=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
