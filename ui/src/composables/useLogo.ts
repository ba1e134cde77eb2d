import { ref } from 'vue'
import { useMessage } from 'naive-ui'
import { chooseSettingsLogo, clearSettingsLogo, getSettingsLogo } from '../api/settings'
import { toApiError } from '../api/invoke'

/** The organisation's logo printed on reports: shown, chosen in the OS dialog, removed. */
export function useLogo() {
  const message = useMessage()
  const logo = ref<string | null>(null)

  async function run(action: () => Promise<unknown>) {
    try {
      await action()
      logo.value = await getSettingsLogo()
    } catch (e) {
      message.error(toApiError(e).message)
    }
  }

  return {
    logo,
    load: () => run(async () => undefined),
    choose: () => run(chooseSettingsLogo),
    clear: () => run(clearSettingsLogo),
  }
}
