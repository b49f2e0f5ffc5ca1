// User settings that keep a headless, offline workbench quiet and deterministic.
export function userSettings({ trust, extra = {} }) {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.autofetch': false,
    'security.workspace.trust.enabled': trust,
    // With trust on, a fresh profile trusts no folder; never prompting keeps the opened folder in
    // Restricted Mode instead of waiting on a modal dialog nobody will answer.
    ...(trust ? { 'security.workspace.trust.startupPrompt': 'never' } : {}),
    ...extra,
  };
}
