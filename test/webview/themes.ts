/**
 * The `--vscode-*` variables and body classes VS Code sets in a webview, for
 * three themes. The values follow VS Code's default Light Modern, Dark Modern
 * and High Contrast themes for the variables the panels use; they are test
 * data, so the webview code itself never contains a colour.
 */

export interface ThemeVariables {
  name: 'light' | 'dark' | 'high-contrast';
  /** The class VS Code puts on <body>: vscode-light, vscode-dark or vscode-high-contrast. */
  bodyClass: string;
  variables: Record<string, string>;
}

const FONT: Record<string, string> = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
  '--vscode-editor-font-size': '14px',
};

export const THEMES: ThemeVariables[] = [
  {
    name: 'light',
    bodyClass: 'vscode-light',
    variables: {
      ...FONT,
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
      '--vscode-textCodeBlock-background': '#f8f8f8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-sideBarSectionHeader-background': '#f8f8f8',
      '--vscode-sideBarTitle-foreground': '#3b3b3b',
      '--vscode-icon-foreground': '#3b3b3b',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-progressBar-background': '#005fb8',
    },
  },
  {
    name: 'dark',
    bodyClass: 'vscode-dark',
    variables: {
      ...FONT,
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-widget-border': '#313131',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-sideBar-background': '#181818',
      '--vscode-sideBarSectionHeader-background': '#181818',
      '--vscode-sideBarTitle-foreground': '#cccccc',
      '--vscode-icon-foreground': '#cccccc',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-progressBar-background': '#0078d4',
    },
  },
  {
    name: 'high-contrast',
    bodyClass: 'vscode-high-contrast',
    variables: {
      ...FONT,
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-focusBorder': '#f38518',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-textLink-activeForeground': '#21a6ff',
      '--vscode-textCodeBlock-background': '#000000',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-widget-border': '#6fc3df',
      '--vscode-inputValidation-errorBorder': '#f48771',
      '--vscode-inputValidation-errorBackground': '#000000',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-sideBar-background': '#000000',
      '--vscode-sideBarSectionHeader-background': '#000000',
      '--vscode-sideBarTitle-foreground': '#ffffff',
      '--vscode-icon-foreground': '#ffffff',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-progressBar-background': '#6fc3df',
    },
  },
];
