using GaussQuant.Models;

namespace GaussQuant.Tests.Models;

/// <summary>The ViT of the bsqvit configs (spec §1.7) under the authors' keys and shapes (bsqvit_state_dict_keys.txt).</summary>
public class ViTParameterNamesTests
{
    [SkippableFact]
    public void TheBsqVitShapeHasTheAuthorsKeysAndShapesInTheirOrder()
    {
        string keyFile = TestPaths.RequireShared("spec", "bsqvit_state_dict_keys.txt");
        var options = new ViTOptions();
        using var encoder = new ViTEncoder(options);
        using var decoder = new ViTDecoder(options);
        Assert.Equal(StateDictListing.Read(keyFile, "encoder."), StateDictListing.Lines("encoder.", encoder));
        Assert.Equal(StateDictListing.Read(keyFile, "decoder."), StateDictListing.Lines("decoder.", decoder));
        Assert.Equal(86_016_032, encoder.parameters().Sum(parameter => parameter.numel()));
        Assert.Equal(88_809_408, decoder.parameters().Sum(parameter => parameter.numel()));
    }
}
