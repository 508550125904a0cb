// Registers the service worker that keeps the timetable readable offline (see /sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}
