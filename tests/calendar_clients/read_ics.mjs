// Reads an iCalendar file on stdin with ical.js (Thunderbird's parser) and prints its
// events as JSON: UID, SUMMARY, STATUS and the UTC instants ical.js reads, so the Python
// tests can compare them with the agenda's. Exits non-zero on a parse error.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const root = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

// Zones defined in the file are the ones its TZID= parameters refer to.
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

function instant(time) {
  if (time === null) return null;
  // All-day values are dates, not instants.
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: instant(event.startDate),
    end: component.hasProperty("dtend") || component.hasProperty("duration")
      ? instant(event.endDate)
      : null,
    alarms: component.getAllSubcomponents("valarm").length,
  };
});
const calendar = {
  name: root.getFirstPropertyValue("x-wr-calname"),
  method: root.getFirstPropertyValue("method"),
  events,
};
process.stdout.write(JSON.stringify(calendar));
