-- wrk script for POST /api/v1/public/reports: a realistic public report from hotel staff
-- (a paragraph of description, location, postcode, a phone), with a description that differs
-- on every request (thread number and request counter), and a count of 201 answers so run.sh
-- can fail if anything else came back.
local threads = {}

local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

local template = [[{"language":"en","reporterType":"hotel",]]
  .. [["description":"I work on the night desk. Over the last three weeks a man in his forties has booked ]]
  .. [[rooms 2%02d and 2%02d most nights, paying cash, and brings in four or five young women who do not ]]
  .. [[seem to speak English. He holds their phones and passports and does the talking at reception. ]]
  .. [[They leave early in the morning in a white van and come back late looking exhausted; one had a ]]
  .. [[bruise on her arm and asked me quietly what town this was. Other guests have complained about ]]
  .. [[men visiting the rooms at all hours. (submission %d-%d)",]]
  .. [["location":"Station Hotel, Wellington Street","postcode":"LS1 4DY",]]
  .. [["when":"Most nights since the start of the month","phones":"07700 900%03d"}]]

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  counter = 0
  created = 0
  other = 0
  first_other = ""
end

function request()
  counter = counter + 1
  local body = string.format(template, counter % 40 + 10, counter % 40 + 11, id, counter, counter % 1000)
  return wrk.format("POST", "/api/v1/public/reports", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    if first_other == "" then first_other = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local c, o, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    if sample == "" then sample = t:get("first_other") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d ok=%d other=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout, c, o))
  if sample ~= "" then io.write("FIRST_OTHER " .. sample .. "\n") end
end
