-- wrk script: each request searches one of a list of queries (round robin per thread), some
-- narrowed to a kind, as a team of analysts would.
local queries = {
  "gallium", "Huawei", "rare%20earths", "export%20controls", "SMIC", "lithography",
  "6G", "subsidies", "standards", "surveillance%20cameras", "data%20protection", "Taiwan",
  "gallium&kind=report", "Huawei&kind=actor", "chip%20design&kind=rationale", "germanium",
}
function init(args)
  token = args[1]
  n = 0
end
function request()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("GET", "/api/v1/search?q=" .. q, {["Authorization"] = "Bearer " .. token})
end
