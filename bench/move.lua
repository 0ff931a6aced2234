-- A card move as the board sends it (htmx POST), each request moving the next deal to the next stage,
-- so every request is a real move. BENCH_DEAL_IDS and BENCH_STAGE_IDS: comma lists; BENCH_ORIGIN for CSRF.
local deals, stages = {}, {}
for id in string.gmatch(os.getenv("BENCH_DEAL_IDS") or "", "[^,]+") do deals[#deals + 1] = id end
for id in string.gmatch(os.getenv("BENCH_STAGE_IDS") or "", "[^,]+") do stages[#stages + 1] = id end
local n = 0
request = function()
  n = n + 1
  local deal = deals[(n % #deals) + 1]
  local stage = stages[((n + math.floor(n / #deals)) % #stages) + 1]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
  return wrk.format("POST", "/app/deals/" .. deal .. "/move", nil, "stage_id=" .. stage)
end
dofile(os.getenv("BENCH_REPORT_LUA"))
