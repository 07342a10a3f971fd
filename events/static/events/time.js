// Times on the events page are written one way, by the server ("Y-m-d H:i:s") and here alike:
// "YYYY-MM-DD HH:MM:SS" in the VMS's time zone (VMS_TIME_ZONE), whatever the browser's.
const formats = new Map();

function formatFor(timeZone) {
  if (!formats.has(timeZone)) {
    const options = {
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    };
    try {
      formats.set(timeZone, new Intl.DateTimeFormat("en-GB", { ...options, timeZone }));
    } catch {
      formats.set(timeZone, new Intl.DateTimeFormat("en-GB", options)); // a zone this browser lacks
    }
  }
  return formats.get(timeZone);
}

export function formatTime(iso, timeZone) {
  const parts = {};
  for (const { type, value } of formatFor(timeZone).formatToParts(new Date(iso))) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
