"""What core itself contributes to its registries: its export/import sections."""
from mamori.core import transfer
from mamori.core.transfer_sections import ClosureDaysSection, OrgansSection, SettingsSection, UnitsSection, UsersSection


def register() -> None:
    transfer.register_sections(SettingsSection, OrgansSection, UnitsSection, UsersSection, ClosureDaysSection)
