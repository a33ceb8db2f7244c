using System.Net;

namespace Vigil.Security.Auth;

/// <summary>Consulted by <see cref="LoginService"/> before it checks a password: may refuse the
/// attempt (banned client) or make it wait (an account under attack).</summary>
public interface ILoginThrottle
{
    LoginAdmission Admit(IPAddress remote, string user);
}

/// <summary>What an <see cref="ILoginThrottle"/> decided about one attempt.</summary>
public readonly record struct LoginAdmission(bool Refused, TimeSpan Delay)
{
    public static readonly LoginAdmission Allow = new(false, TimeSpan.Zero);
    public static readonly LoginAdmission Refuse = new(true, TimeSpan.Zero);
    public static LoginAdmission After(TimeSpan delay) => new(false, delay);
}
