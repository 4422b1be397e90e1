using Microsoft.AspNetCore.Mvc.Razor;

namespace Ashyq.Registry.Web.Features;

/// <summary>Views live beside their controller in Features/&lt;Feature&gt;/, shared ones in Features/Shared/.</summary>
public static class FeatureViewLocations
{
    public static IMvcBuilder AddFeatureFolders(this IMvcBuilder mvc) =>
        mvc.AddRazorOptions(options =>
        {
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
            options.AreaViewLocationFormats.Clear();
            options.AreaViewLocationFormats.Add("/Features/{2}/{1}/{0}.cshtml");
            options.AreaViewLocationFormats.Add("/Features/{2}/Shared/{0}.cshtml");
            options.AreaViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });
}
