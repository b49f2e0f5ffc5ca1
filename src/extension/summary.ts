// The state of everything loaded, at a glance: a status-bar item ("Aurora SG: 5 critical,
// 2 high", a tooltip per source, a click reveals the view) and the view's badge and description
// with the same counts. Updated on every change of the store: a load, a fix, a backout, a
// settings change, an edited file.

import * as vscode from 'vscode';
import { fullCounts, headline, headlineTotal, summarise, totalOf } from './core/severity';
import type { SourceStore } from './sourceStore';
import { countsMarkdown, tooltipMarkdown } from './tree/findingTooltip';
import { escapeMarkdown } from './core/presentation';

export const SUMMARY_ITEM_ID = 'auroraSg.summary';

export class Summary implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: SourceStore, private readonly view: vscode.TreeView<unknown> | undefined, viewId: string) {
    this.item = vscode.window.createStatusBarItem(SUMMARY_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Aurora SG findings';
    this.item.command = { command: `${viewId}.focus`, title: 'Show the Aurora SG view' };
    this.subscription = store.onDidChange(() => this.update());
    this.update();
  }

  /** What the status bar says now (for tests and the log). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const sources = this.store.all();
    if (!sources.length) {
      this.item.hide();
      if (this.view) {
        this.view.badge = undefined;
        this.view.description = undefined;
      }
      return;
    }
    const { total, perSource } = summarise(sources);
    const text = headline(total);
    this.item.text = `$(shield) Aurora SG: ${text}`;
    this.item.accessibilityInformation = { label: `Aurora SG: ${fullCounts(total)} in ${sources.length} source${sources.length === 1 ? '' : 's'}` };
    const tooltip = tooltipMarkdown();
    tooltip.appendMarkdown(`**Aurora SG** · ${countsMarkdown(total) || '$(pass) no findings'}\n\n`);
    for (const source of perSource) {
      tooltip.appendMarkdown(`- ${escapeMarkdown(source.label)}: ${countsMarkdown(source.counts) || 'no findings'}\n`);
    }
    tooltip.appendMarkdown('\n_Click to show the Aurora SG view._');
    this.item.tooltip = tooltip;
    this.item.show();
    if (this.view) {
      const count = headlineTotal(total);
      this.view.badge = count ? { value: count, tooltip: `Aurora SG: ${fullCounts(total)}` } : undefined;
      this.view.description = totalOf(total) ? text : undefined;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
