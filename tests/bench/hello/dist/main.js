// Says "shown" once the text has been painted (the frame after the next one).
requestAnimationFrame(() => requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('shown')))
