"""Settings: networks and RPC URLs, notifications, start at login, keep in tray, idle lock,
backups with progress, change password, connected sites, helping improve the model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app import preferences
from app.errors import InvalidInput, WardenError
from ui.connected_sites import ConnectedSites
from ui.ops import backup as backup_ops
from ui.ops import networks as network_ops
from ui.ops import settings as settings_ops
from ui.preference_form import PreferenceForm
from ui.rows import NetworkRow
from ui.screens.base import Screen, ScreenContext
from ui.screens.federate_settings import FederateSettings
from ui.widgets import BusyLine, Card, error_label, muted, show_message


def _password() -> QLineEdit:
    e = QLineEdit()
    e.setEchoMode(QLineEdit.EchoMode.Password)
    return e


class SettingsScreen(Screen):
    key = "settings"
    title = "Settings"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.networks: list[NetworkRow] = []
        grid = QGridLayout()
        grid.setSpacing(12)
        # Networks
        nets = Card("Networks")
        self.net_table = QTableWidget(0, 3)
        self.net_table.setHorizontalHeaderLabels(["Network", "Chain id", "RPC URL"])
        self.net_table.verticalHeader().hide()
        self.net_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.net_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.net_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.net_table.setAlternatingRowColors(True)
        self.net_table.setShowGrid(False)
        nets.body.addWidget(self.net_table)
        self.net_error = error_label()
        nets.body.addWidget(self.net_error)
        save_nets = QPushButton("Save RPC URLs")
        save_nets.clicked.connect(self._save_networks)
        nets.body.addWidget(save_nets, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(nets, 0, 0, 1, 2)
        # Behaviour: a field per preference declared for Settings, then what the OS keeps
        beh = Card("Behaviour")
        self.prefs = PreferenceForm(p for p in preferences.PREFERENCES if p.in_settings)
        beh.body.addWidget(self.prefs)
        form = QFormLayout()
        self.autostart = QCheckBox("Start Warden when I log in")
        self.keep_tray = QCheckBox("Keep running in the tray when the window is closed")
        form.addRow(self.autostart)
        form.addRow(self.keep_tray)
        beh.body.addLayout(form)
        beh.body.addWidget(
            muted("Starting at login and keeping delegates running in the tray are separate.")
        )
        self.behaviour_error = error_label()
        beh.body.addWidget(self.behaviour_error)
        apply = QPushButton("Apply")
        apply.clicked.connect(self._save_behaviour)
        beh.body.addWidget(apply, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(beh, 1, 0)
        # Security: password and backups
        sec = Card("Password and backups")
        pform = QFormLayout()
        self.old_pw = _password()
        self.new_pw = _password()
        self.new_pw2 = _password()
        pform.addRow("Current password", self.old_pw)
        pform.addRow("New password", self.new_pw)
        pform.addRow("Repeat new", self.new_pw2)
        sec.body.addLayout(pform)
        self.pw_error = error_label()
        sec.body.addWidget(self.pw_error)
        change = QPushButton("Change password")
        change.clicked.connect(self._change_password)
        sec.body.addWidget(change, 0, Qt.AlignmentFlag.AlignRight)
        brow = QHBoxLayout()
        self.backup_button = QPushButton("Export backup…")
        self.backup_button.clicked.connect(self._pick_backup)
        self.restore_button = QPushButton("Restore from backup…")
        self.restore_button.clicked.connect(self._pick_restore)
        brow.addWidget(self.backup_button)
        brow.addWidget(self.restore_button)
        brow.addStretch(1)
        sec.body.addLayout(brow)
        self.backup_busy = BusyLine()
        sec.body.addWidget(self.backup_busy)
        sec.body.addWidget(
            muted("A backup is one encrypted file, protected by the password you choose for it.")
        )
        grid.addWidget(sec, 1, 1)
        # Sites connected through the dapp provider
        sites = Card("Connected sites")
        self.sites = ConnectedSites(lambda: self.services)
        sites.body.addWidget(self.sites)
        grid.addWidget(sites, 2, 0, 1, 2)
        # Federated learning, opt-in
        fed = Card("Help improve the model")
        self.federate = FederateSettings(lambda: self.services)
        fed.body.addWidget(self.federate)
        grid.addWidget(fed, 3, 0, 1, 2)
        self.outer.addLayout(grid, 1)
        self.error = error_label()
        self.outer.addWidget(self.error)
        self.follow_changes(ctx.bridge.networks_did_change, ctx.bridge.settings_did_change)

    def refresh(self) -> None:
        self.sites.refresh()
        self.federate.refresh()
        settings_ops.load_page(self.services).success(self._loaded).failure(self._failed).run()

    def _loaded(self, data: tuple[list[NetworkRow], dict[str, preferences.Value], bool]) -> None:
        self.networks, prefs, auto = data
        self.net_table.setRowCount(len(self.networks))
        for i, n in enumerate(self.networks):
            for j, text in enumerate((n.name, str(n.chain_id), n.rpc_url)):
                item = QTableWidgetItem(text)
                if j < 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.net_table.setItem(i, j, item)
        self.prefs.load(prefs)
        self.autostart.setChecked(auto)
        window = self.ctx.window
        settings = getattr(window, "settings", None)
        if settings is not None:
            self.keep_tray.setChecked(bool(settings.value("keep_in_tray", False, type=bool)))

    def _failed(self, exc: BaseException, target: object = None) -> None:
        lab = target if target is not None else self.error
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(lab, msg)  # type: ignore[arg-type]
        self.backup_busy.stop()
        self.backup_button.setEnabled(True)
        self.restore_button.setEnabled(True)

    def _save_networks(self) -> None:
        changes = []
        for i, n in enumerate(self.networks):
            item = self.net_table.item(i, 2)
            url = item.text().strip() if item else n.rpc_url
            if url != n.rpc_url:
                changes.append((n.name, url))

        def done(_r: object) -> None:
            show_message(self.net_error, "")
            self.refresh()

        network_ops.set_rpc_urls(self.services, changes).success(done).failure(
            lambda e: self._failed(e, self.net_error)
        ).run()

    def _save_behaviour(self) -> None:
        auto, keep = self.autostart.isChecked(), self.keep_tray.isChecked()
        settings = getattr(self.ctx.window, "settings", None)
        if settings is not None:
            settings.setValue("keep_in_tray", keep)
        self.save_preferences(self.prefs.values(), start_at_login=auto)

    def save_preferences(
        self, values: Mapping[str, object], *, start_at_login: bool | None = None
    ) -> None:
        """Check and store ``values`` (all or none), then put them into effect; a value the
        declaration refuses shows its message under the fields."""
        settings_ops.save(self.services, values, start_at_login=start_at_login).success(
            self._applied
        ).failure(lambda e: self._failed(e, self.behaviour_error)).run()

    def _applied(self, stored: dict[str, preferences.Value]) -> None:
        show_message(self.behaviour_error, "")
        self.prefs.load(stored)
        self.ctx.status("Settings applied")
        controller = getattr(self.ctx.window, "controller", None)
        if controller is not None:
            controller.apply_preferences(stored)

    def _change_password(self) -> None:
        old, new, again = self.old_pw.text(), self.new_pw.text(), self.new_pw2.text()
        if new != again:
            show_message(self.pw_error, "The two new passwords differ.")
            return

        def done(_r: object) -> None:
            for e in (self.old_pw, self.new_pw, self.new_pw2):
                e.clear()
            show_message(self.pw_error, "")
            self.ctx.status("Password changed")

        backup_ops.change_password(self.services, old, new).success(done).failure(
            lambda e: self._failed(e, self.pw_error)
        ).run()

    def _ask_backup_password(self, title: str, *, confirm: bool = False) -> str | None:
        from ui.dialogs import BackupPasswordDialog

        dialog = BackupPasswordDialog(title, confirm=confirm, parent=self)
        return dialog.value() or None if dialog.exec() == dialog.DialogCode.Accepted else None

    def _pick_backup(self) -> None:
        start = str(Path.home() / "warden-backup.wbk")  # not the process's working folder
        path, _ = QFileDialog.getSaveFileName(self, "Export backup", start)
        pw = self._ask_backup_password("Export backup", confirm=True) if path else None
        if path and pw:
            self.export_backup(Path(path), pw)

    def export_backup(self, path: Path, password: str) -> None:
        self.backup_busy.start("Writing the encrypted backup…")
        self.backup_button.setEnabled(False)

        def done(_r: object) -> None:
            self.backup_busy.stop()
            self.backup_button.setEnabled(True)
            self.ctx.status(f"Backup written to {path}")

        backup_ops.backup(self.services, path, password).success(done).failure(self._failed).run()

    def _pick_restore(self) -> None:
        if self.services.restore is None:  # say so before asking for a file and password
            show_message(self.error, backup_ops.restore_unavailable().user_message())
            return
        path, _ = QFileDialog.getOpenFileName(self, "Restore from backup", str(Path.home()))
        pw = self._ask_backup_password("Restore backup") if path else None
        if path and pw:
            self.backup_busy.start("Checking and restoring the backup…")
            self.restore_button.setEnabled(False)

            def done(_r: object) -> None:
                self.backup_busy.stop()
                self.restore_button.setEnabled(True)
                self.ctx.status("Backup restored; Warden locks now. Unlock with its password.")
                controller = getattr(self.ctx.window, "controller", None)
                if controller is not None:
                    controller.lock()

            backup_ops.restore(self.services, Path(path), pw).success(done).failure(
                self._failed
            ).run()


__all__ = ["SettingsScreen", "InvalidInput"]
