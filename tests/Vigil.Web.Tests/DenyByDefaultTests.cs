using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Web.Auth;

namespace Vigil.Web.Tests;

/// <summary>DESIGN.md, the CVE-2026-23760 lesson: every registered route refuses an anonymous
/// caller unless it is on the short explicit allow-list. The routes are taken from the running
/// application's endpoint data source, so a route added later is covered without touching this test.</summary>
public class DenyByDefaultTests
{
    [Fact]
    public async Task Every_registered_route_refuses_an_anonymous_request()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true);
        var endpoints = Routes(console);
        Assert.Contains(endpoints, e => e.Pattern == "/fleet/v1/enroll");
        Assert.Contains(endpoints, e => e.Pattern == "/fleet/v1/heartbeat");

        using var http = InstanceHost.AnonymousClient();
        foreach (var (method, pattern, anonymous) in endpoints)
        {
            var key = AnonymousAllowList.Key(method, pattern);
            Assert.Equal(AnonymousAllowList.Routes.Contains(key), anonymous);
            using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), new Uri(console.BaseUri, Concrete(pattern)))
            {
                Content = method is "GET" or "HEAD" or "*" ? null : new StringContent("{}"),
            };
            using var response = await http.SendAsync(request);
            if (AnonymousAllowList.Routes.Contains(key))
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            else
                Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{key} answered {(int)response.StatusCode} to an anonymous caller");
        }
    }

    [Fact]
    public async Task Made_up_credentials_are_refused_too()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true);
        using var http = InstanceHost.AnonymousClient();
        using var enroll = new HttpRequestMessage(HttpMethod.Post, new Uri(console.BaseUri, "/fleet/v1/enroll")) { Content = new StringContent("{}") };
        enroll.Headers.TryAddWithoutValidation("Authorization", $"VigilEnroll vgl1.{new string('A', 43)}.{new string('a', 32)}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(enroll)).StatusCode);

        var heartbeat = """{"format":"vigil-fleet-heartbeat/1","keyId":"0123456789abcdef0123456789abcdef","payload":"e30=","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}""";
        var response = await http.PostAsync(new Uri(console.BaseUri, "/fleet/v1/heartbeat"), new StringContent(heartbeat));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_member_serves_no_fleet_routes_at_all()
    {
        await using var member = await InstanceHost.StartAsync("member.test", console: false);
        Assert.DoesNotContain(Routes(member), e => e.Pattern.StartsWith("/fleet", StringComparison.Ordinal));
    }

    [Fact]
    public void The_allow_list_is_short()
    {
        Assert.True(AnonymousAllowList.Routes.Count <= 5);
        Assert.All(AnonymousAllowList.Routes, r => Assert.DoesNotContain("fleet", r, StringComparison.Ordinal));
    }

    private static IReadOnlyList<(string Method, string Pattern, bool Anonymous)> Routes(InstanceHost host)
    {
        var app = host.Get<WebServer>().App!;
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .ToArray();
    }

    /// <summary>A request path for a route pattern: every parameter gets a plausible value.</summary>
    private static string Concrete(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", "1");
}
