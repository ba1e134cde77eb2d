import { describe, expect, it } from 'vitest'
import { baseCompile } from '@intlify/message-compiler'
import zhCN from './zh-CN.json'
import en from './en.json'
import bindings from '../bindings/index.ts?raw'

type Tree = { [key: string]: string | Tree }

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`),
  )
}

function leaves(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v)))
}

describe('locale files', () => {
  it('zh-CN and en have exactly the same keys', () => {
    const zh = new Set(keys(zhCN))
    const english = new Set(keys(en))
    expect([...zh].filter((k) => !english.has(k)), 'keys missing from en.json').toEqual([])
    expect([...english].filter((k) => !zh.has(k)), 'keys missing from zh-CN.json').toEqual([])
  })

  it('every message compiles (a bare @ or { would break the screen that shows it)', () => {
    for (const [name, tree] of [['zh-CN', zhCN], ['en', en]] as const) {
      const broken = keys(tree).filter((key) => {
        const text = key.split('.').reduce((t, k) => (t as Tree)[k], tree as Tree | string) as string
        let failed = false
        baseCompile(text, { onError: () => (failed = true) })
        return failed
      })
      expect(broken, `messages of ${name} vue-i18n cannot compile`).toEqual([])
    }
  })

  it('no string is empty', () => {
    for (const [name, tree] of [['zh-CN', zhCN], ['en', en]] as const) {
      expect(leaves(tree).filter((s) => s.trim() === ''), `empty strings in ${name}`).toEqual([])
    }
  })

  it('every code the core sends has a label', () => {
    // The string literals of a generated union type, e.g. Level = "I" | "II" | ….
    const union = (name: string) =>
      [...(bindings.match(new RegExp(`export type ${name} = ([^;]+);`))?.[1] ?? '').matchAll(/"([^"]+)"/g)]
        .map((m) => m[1])
        .filter((code) => code !== 'kind')
    const labels = (path: string) =>
      Object.keys(path.split('.').reduce((tree, key) => tree[key] as Tree, zhCN as Tree))
    for (const [type, path] of [
      ['Level', 'incident.level'],
      ['Channel', 'incident.channel'],
      ['EventData', 'incident.event'],
      ['Status', 'incident.status'],
      ['PlanKind', 'incident.plan'],
      ['MilestoneKind', 'milestone.kind'],
      ['MilestoneState', 'milestone.state'],
    ] as const) {
      const codes = union(type)
      expect(codes.length, `${type} is in the bindings`).toBeGreaterThan(0)
      for (const code of codes) expect(labels(path), `${type} ${code}`).toContain(code)
    }
  })
})
