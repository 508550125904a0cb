// The audio recorder beside a form's audio file field (hand-ins and reviews of tasks). It records
// from the microphone (MediaRecorder, Opus in WebM or Ogg at 32 kbit/s: about 240 KB a minute),
// stops by itself at the cap, lets the person listen, and puts the recording into the file field,
// so the plain form posts it as if the file had been picked. The page script loads this file only
// on a page that has a recorder; without JavaScript the file field alone stays (a phone opens its
// own recorder from it). Plain JavaScript, not a WASM island: the pages that record do not fetch
// the WASM, and the pages with islands do not pay for the recorder.
(() => {
  'use strict';
  const KINDS = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm'];

  function setUp(box) {
    const input = document.getElementById(box.dataset.recorder);
    const button = box.querySelector('button');
    const status = box.querySelector('[aria-live]');
    const works = window.MediaRecorder && navigator.mediaDevices && typeof DataTransfer === 'function';
    if (box.dataset.ready || !input || !button || !status || !works) return;
    box.dataset.ready = 'true';
    box.hidden = false;
    const words = box.dataset;
    const max = Number(words.max) || 180;
    let recorder = null;
    let tick = null;
    let seconds = 0;
    let url = null;
    const say = (text) => { status.textContent = text.replace('{n}', String(seconds)); };

    function keep(chunks, type) {
      const blob = new Blob(chunks, { type });
      const file = new File([blob], `recording.${type.includes('ogg') ? 'ogg' : 'webm'}`, { type });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      // The field's own label (ui::FilePick) names the recording like a picked file.
      input.dispatchEvent(new Event('change', { bubbles: true }));
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(blob);
      let player = box.querySelector('audio');
      if (!player) {
        player = document.createElement('audio');
        player.controls = true;
        box.appendChild(player);
      }
      player.src = url;
    }

    async function start() {
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e) {
        say(words.failed);
        return;
      }
      const mimeType = KINDS.find((k) => MediaRecorder.isTypeSupported(k));
      const chunks = [];
      recorder = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), audioBitsPerSecond: 32000 });
      recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
      recorder.onstop = () => {
        clearInterval(tick);
        stream.getTracks().forEach((track) => track.stop());
        keep(chunks, recorder.mimeType || 'audio/webm');
        button.textContent = words.again;
        button.classList.remove('recording');
        say(words.recorded);
      };
      seconds = 0;
      recorder.start(1000);
      button.textContent = words.stop;
      button.classList.add('recording');
      say(words.recording);
      tick = setInterval(() => {
        seconds += 1;
        say(words.recording);
        if (seconds >= max) recorder.stop();
      }, 1000);
    }

    button.addEventListener('click', () => {
      if (recorder && recorder.state === 'recording') recorder.stop();
      else start();
    });
  }

  // The page script calls this again after each page it puts in place.
  window.sabakRecorders = () => document.querySelectorAll('[data-recorder]').forEach(setUp);
  window.sabakRecorders();
})();
