import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { errorText } from '../i18n/errors';

/**
 * The admin screens' one way to run a step: clear the last message, run it, and show a refusal as the error's
 * own text in the screen's language (i18n/errors). `notice` is for the step's success message.
 */
export function useAdminStep() {
  const { t, locale } = useI18n();
  const error = ref<string | null>(null);
  const notice = ref<string | null>(null);
  async function run(step: () => Promise<unknown>): Promise<void> {
    error.value = null;
    notice.value = null;
    try {
      await step();
    } catch (err) {
      error.value = errorText(err, t, locale.value);
    }
  }
  return { error, notice, run };
}
