import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { SelectGroupOption, SelectOption } from 'naive-ui'
import type { Category, CategoryKind, CategoryOverview } from '../bindings'
import { categoriesOverview } from '../api/quality'

/**
 * The fault-type and cause category lists: their names in the current language, and the
 * choices of a form (causes grouped under their group; retired entries left out).
 */
export function useCategories() {
  const { t, locale } = useI18n()
  const overview = ref<CategoryOverview>()

  async function reload() {
    overview.value = await categoriesOverview()
    return overview.value
  }

  const of = (kind: CategoryKind) => overview.value?.categories.filter((c) => c.kind === kind) ?? []
  const name = (c: Category) => (locale.value === 'en' && c.name_en ? c.name_en : c.name)

  /** How a code reads ("软件 / 配置错误"); `-` is "uncategorised". */
  function label(kind: CategoryKind, code: string): string {
    if (code === '-') return t('categories.uncategorised')
    const c = of(kind).find((x) => x.code === code)
    if (!c) return code
    const parent = c.parent ? of(kind).find((x) => x.code === c.parent) : undefined
    return parent ? `${name(parent)} / ${name(c)}` : name(c)
  }

  /** The entries that may be chosen: groups with entries become headings. */
  function options(kind: CategoryKind): (SelectOption | SelectGroupOption)[] {
    const live = of(kind).filter((c) => !c.retired)
    const children = (code: string) => live.filter((c) => c.parent === code)
    return live
      .filter((c) => !c.parent)
      .map((c) =>
        children(c.code).length
          ? {
              type: 'group' as const,
              label: name(c),
              key: c.code,
              children: children(c.code).map((x) => ({ label: name(x), value: x.code })),
            }
          : { label: name(c), value: c.code },
      )
  }

  /** Filter choices: every entry, groups included (a group finds its entries). */
  function filterOptions(kind: CategoryKind): SelectOption[] {
    return [
      ...of(kind).map((c) => ({ label: c.parent ? `— ${name(c)}` : name(c), value: c.code })),
      { label: t('categories.uncategorised'), value: '-' },
    ]
  }

  const unmappedCount = computed(() => overview.value?.unmapped.reduce((n, u) => n + u.count, 0) ?? 0)

  return { overview, reload, of, name, label, options, filterOptions, unmappedCount }
}
