using System.Security.Cryptography;

namespace Vigil.Core.Accounts;

/// <summary>What an app password looks like: six groups of four characters without look-alikes,
/// <c>abcd-efgh-jkmn-pqrs-tuvw-xyz2</c>. The first group is the selector (stored in clear, names
/// the row); the other 20 characters are the secret (57^20, about 116 bits). The whole string is
/// what gets hashed.</summary>
public static class AppPasswordFormat
{
    // The alphabet of generated account passwords: no 0/O, 1/l/I, so it can be typed off a screen.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int Groups = 6;
    private const int GroupLength = 4;

    /// <summary>A fresh app password; its selector is the first group.</summary>
    public static string Generate() =>
        string.Join('-', Enumerable.Range(0, Groups).Select(_ => RandomNumberGenerator.GetString(Alphabet, GroupLength)));

    /// <summary>The selector of a string shaped like an app password; false for anything else
    /// (an ordinary account password), which is then checked as one.</summary>
    public static bool TryGetSelector(string password, out string selector)
    {
        selector = "";
        if (password.Length != Groups * (GroupLength + 1) - 1) return false;
        for (var i = 0; i < password.Length; i++)
        {
            var c = password[i];
            var ok = (i + 1) % (GroupLength + 1) == 0 ? c == '-' : Alphabet.Contains(c, StringComparison.Ordinal);
            if (!ok) return false;
        }
        selector = password[..GroupLength];
        return true;
    }

    /// <summary>Names are chosen by the admin or user ("thunderbird", "phone-2"): 1–64 letters,
    /// digits, '.', '_' or '-', so they print safely in lists, logs and the audit log.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
