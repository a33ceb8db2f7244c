using System.Security.Cryptography;

namespace Vigil.Security.Passwords;

/// <summary>Random passwords for accounts created without one (printed once by the CLI).</summary>
public static class PasswordGenerator
{
    // No look-alike characters (0/O, 1/l/I), so a password read off a terminal can be typed.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Generate(int length = 20) => RandomNumberGenerator.GetString(Alphabet, length);
}
