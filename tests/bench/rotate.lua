-- wrk script: cycle through /s/0.json .. /s/<N-1>.json, N from the first
-- script argument (wrk ... -s rotate.lua URL -- N).  Each wrk thread has
-- its own Lua state; thread k starts k*7919 documents in, so the threads
-- do not all fetch the same documents at the same moment.
local requests = {}
local count = 0
local next_index = 1

function init(args)
   local n = tonumber(args[1]) or 20000
   for i = 0, n - 1 do
      requests[i + 1] = wrk.format("GET", "/s/" .. i .. ".json")
   end
   count = n
   next_index = (tonumber(offset) or 0) % n + 1  -- offset: set by setup()
end

-- Runs in the main Lua state once per thread, before the thread's init().
local threads = 0
function setup(thread)
   thread:set("offset", threads * 7919)
   threads = threads + 1
end

function request()
   local r = requests[next_index]
   next_index = next_index % count + 1
   return r
end
