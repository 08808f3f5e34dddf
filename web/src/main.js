// Entry: Vue, the router and the shared styles only. Each area (portal,
// enterprise console, bureau console, mobile H5) is a lazily loaded chunk
// that brings its own UI library (Element Plus or Vant).
import { createApp } from 'vue'
import App from './App.vue'
import router from './router/index.js'
import './styles/base.css'

const app = createApp(App)
app.use(router)
app.config.errorHandler = (err) => {
  // ApiErrors were already shown by the client's notifier.
  if (err && err.name === 'ApiError') return
  console.error(err)
}
// An ApiError nobody caught has been shown by the client's notifier already.
window.addEventListener('unhandledrejection', (ev) => {
  if (ev.reason && ev.reason.name === 'ApiError') ev.preventDefault()
})
app.mount('#app')
