// The UI font ships with the app: no CJK font is assumed on the machine.
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/700.css'
import './style.css'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { markFirst } from './firstScreen'

markFirst('script')
createApp(App).use(i18n).use(router).mount('#app')
