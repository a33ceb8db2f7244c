namespace Vigil.Core.Model;

/// <summary>A named password for one mail client of one account ("thunderbird", "phone"), usable
/// only for IMAP, POP3 and SMTP submission (docs/security.md, "App passwords"). The password itself
/// is never stored: <see cref="Hash"/> is its Argon2id hash, <see cref="Selector"/> the public first
/// group of it that names this row, so a login checks one hash however many app passwords exist.
/// <see cref="Expired"/> is set by a forced reset; such app passwords are refused with the
/// password-expired reason and removed when an admin sets a new password.</summary>
public sealed record AppPassword(
    long Id,
    long AccountId,
    string Name,
    string Selector,
    string Hash,
    DateTimeOffset Created,
    DateTimeOffset? LastUsed,
    bool Expired);
