// Vite build of the zhengqi web UI: `npx vite build` → dist/ (index.html at
// the root, hashed assets under dist/assets/). Element Plus and Vant are
// imported per component by unplugin-vue-components; the desktop areas
// (portal, consoles) never load Vant and the mobile area never loads
// Element Plus.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { VantResolver } from '@vant/auto-import-resolver'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { gzipSync, constants as zlibConstants } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = fileURLToPath(new URL('.', import.meta.url))

// The server's Content-Security-Policy allows images and fonts from 'self'
// only, so data: URLs in the UI libraries' CSS would be refused. Vant's icon
// font (a data: woff2 with a CDN fallback) and Element Plus' SVG masks are
// written out as files that Vite then emits as hashed assets; the CDN
// fallback is dropped.
function selfHostLibraryDataUrls() {
  const outDir = path.join(root, 'node_modules/.cache/zq-inline-assets')
  const write = (name, buf) => {
    mkdirSync(outDir, { recursive: true })
    const file = path.join(outDir, name)
    writeFileSync(file, buf)
    return file
  }
  return {
    name: 'zq-self-host-data-urls',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0]
      if (!/[\\/]node_modules[\\/](vant|element-plus)[\\/].*\.css$/.test(file)) return null
      if (!code.includes('data:')) return null
      const rel = (abs) => path.relative(path.dirname(file), abs).split(path.sep).join('/')
      let out = code
      if (/[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/.test(file)) {
        const m = /url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)\s*format\(["']woff2["']\)/.exec(out)
        if (!m) this.error('vant icon font: inline woff2 not found; update vite.config.js')
        const font = write('vant-icon.woff2', Buffer.from(m[1], 'base64'))
        out = out.replace(/src:\s*url\(data:font\/woff2[^}]*/, `src:url("${rel(font)}") format("woff2")`)
      }
      out = out.replace(/url\((["']?)data:image\/svg\+xml(;charset=utf-8)?(;utf8)?(;base64)?,(.*?)\1\)/g, (all, q, _cs, _u, b64, body) => {
        const svg = b64 ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8')
        const name = 'svg-' + createHash('sha256').update(svg).digest('hex').slice(0, 12) + '.svg'
        return `url("${rel(write(name, svg))}")`
      })
      if (/alicdn|url\(["']?data:/.test(out)) this.error(`${file}: could not replace every data: URL`)
      return { code: out, map: null }
    },
  }
}

// Next to every compressible asset (JS, CSS, SVG, HTML) of at least 1 KiB,
// a precompressed `<name>.gz` for servers that answer `Accept-Encoding: gzip`
// with the file as it is (Content-Encoding: gzip, Vary: Accept-Encoding).
function precompressGzip() {
  return {
    name: 'zq-precompress-gzip',
    apply: 'build',
    enforce: 'post',
    generateBundle(_opts, bundle) {
      for (const [fileName, out] of Object.entries(bundle)) {
        if (!/\.(js|css|svg|html)$/.test(fileName)) continue
        const raw = Buffer.from(out.type === 'chunk' ? out.code : out.source)
        if (raw.length < 1024) continue
        const gz = gzipSync(raw, { level: zlibConstants.Z_BEST_COMPRESSION })
        if (gz.length > raw.length * 0.9) continue
        this.emitFile({ type: 'asset', fileName: fileName + '.gz', source: gz })
      }
    },
  }
}

export default defineConfig({
  plugins: [
    selfHostLibraryDataUrls(),
    vue(),
    Components({
      dts: false,
      dirs: [], // our own components are imported explicitly
      resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver()],
    }),
    precompressGzip(),
  ],
  resolve: {
    alias: { '@': path.join(root, 'src') },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    // no inlined assets: the CSP does not allow data: URLs
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // Chunks named after Element Plus' per-component style modules
        // ("css", "style") are shared Element Plus code: say so.
        chunkFileNames: (c) => (/^(css|style|index)$/.test(c.name) && c.moduleIds.some((m) => m.includes('element-plus'))
          ? 'assets/element-plus-part-[hash].js'
          : 'assets/[name]-[hash].js'),
        assetFileNames: (a) => (/^(css|style)\.css$/.test((a.names && a.names[0]) || a.name || '')
          ? 'assets/element-plus-part-[hash][extname]'
          : 'assets/[name]-[hash][extname]'),
        // One chunk per library instead of a hundred tiny shared chunks; the
        // area chunks stay separate, so /m never loads Element Plus and the
        // desktop areas never load Vant. ECharts loads with the portal home only.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 20 },
            { name: 'vant', test: /node_modules[\\/](vant|@vant)[\\/]/, priority: 20 },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@vueuse|lodash-es|lodash-unified|@floating-ui|@ctrl|@popperjs|async-validator|dayjs|memoize-one|normalize-wheel-es|@sxzz)[\\/]/, priority: 20, minShareCount: 3 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})
