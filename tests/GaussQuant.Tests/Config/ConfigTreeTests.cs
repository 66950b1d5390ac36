using GaussQuant.Config;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Config;

/// <summary>YAML reading, scalar typing, interpolation and overrides, independent of the model options.</summary>
public class ConfigTreeTests
{
    private static string Fixture(string name) => TestPaths.Fixture("config", name);

    private static object? ValueAt(ConfigMapping root, string path)
    {
        ConfigNode node = root;
        foreach (var segment in path.Split('.'))
            node = node switch
            {
                ConfigMapping mapping => mapping[segment] ?? throw new KeyNotFoundException(path),
                ConfigSequence sequence => sequence.Items[int.Parse(segment)],
                _ => throw new KeyNotFoundException(path),
            };
        return ((ConfigScalar)node).Value;
    }

    [Theory]
    [InlineData("learning_rate", 1e-4)]
    [InlineData("dropout", 0.0)]
    [InlineData("half", 0.5)]
    [InlineData("negative", -2500.0)]
    [InlineData("integer", 42L)]
    [InlineData("octal", 8L)]
    [InlineData("hexadecimal", 31L)]
    [InlineData("with_underscores", 1000L)]
    [InlineData("true_word", true)]
    [InlineData("yes_word", true)]
    [InlineData("off_word", false)]
    [InlineData("null_word", null)]
    [InlineData("tilde", null)]
    [InlineData("empty", null)]
    [InlineData("none_word", "None")]
    [InlineData("quoted_number", "1e-4")]
    [InlineData("quoted_bool", "true")]
    [InlineData("devices", "0,1,2,3")]
    [InlineData("infinity", double.PositiveInfinity)]
    [InlineData("tagged", "12")]
    [InlineData("sign_dot", "-.5")] // OmegaConf's float rule has no sign before a bare dot
    public void PlainScalarsAreTypedAsOmegaConfTypesThem(string key, object? expected)
    {
        var root = ConfigLoader.LoadTree(Fixture("scalars.yaml"));
        Assert.Equal(expected, ValueAt(root, key));
    }

    [Fact]
    public void NotANumberIsAFloat() =>
        Assert.True(double.IsNaN((double)ValueAt(ConfigLoader.LoadTree(Fixture("scalars.yaml")), "not_a_number")!));

    [Theory]
    [InlineData("paths.images", "/data/images")]
    [InlineData("paths.escaped", "${paths.root} stays literal")]
    [InlineData("shape.copy_of_channels", 32L)]
    [InlineData("shape.second_multiplier", 2L)]
    [InlineData("shape.bracket_multiplier", 2L)]
    [InlineData("shape.relative", 32L)]
    [InlineData("shape.uncle", "/data")]
    [InlineData("decoder.params.ch", 32L)]
    [InlineData("decoder.params.nested.depth", 2L)]
    [InlineData("chain.first", 7L)]
    public void InterpolationsResolveToTypedValuesAndCopiedSubtrees(string path, object expected)
    {
        var root = ConfigLoader.LoadTree(Fixture("interpolation.yaml"));
        Assert.Equal(expected, ValueAt(root, path));
    }

    [Fact]
    public void AWholeValueInterpolationCopiesTheSubtreeRatherThanSharingIt()
    {
        var root = ConfigLoader.LoadTree(Fixture("interpolation.yaml"));
        var encoder = ((ConfigMapping)root["encoder"]!)["params"];
        var decoder = ((ConfigMapping)root["decoder"]!)["params"];
        Assert.IsType<ConfigMapping>(decoder);
        Assert.NotSame(encoder, decoder);
    }

    [Fact]
    public void OverridesApplyBeforeInterpolationSoReferencesFollowThem()
    {
        var root = ConfigLoader.LoadTree(Fixture("interpolation.yaml"),
            ["shape.channels=64", "shape.multipliers=[1,2,4]", "brand.new.key=1e-3", "paths.root='/other root'", "chain.third="]);
        Assert.Equal(64L, ValueAt(root, "decoder.params.ch"));
        Assert.Equal(4L, ValueAt(root, "shape.bracket_multiplier"));
        Assert.Equal(1e-3, ValueAt(root, "brand.new.key"));
        Assert.Equal("/other root/images", ValueAt(root, "paths.images"));
        Assert.Null(ValueAt(root, "chain.first"));
    }

    [Theory]
    [InlineData("shape.channels.deeper=1", "'shape.channels' is a value, not a mapping")]
    [InlineData("shape.multipliers.7=1", "is not an index of the list")]
    [InlineData("novalue", "an override must look like key.path=value")]
    [InlineData("a..b=1", "'a..b' is not a valid key path")]
    [InlineData("shape.channels=[1, 2", "malformed YAML")]
    public void BadOverridesAreRejectedWithTheOverrideNamed(string assignment, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadTree(Fixture("interpolation.yaml"), [assignment]));
        Assert.Contains(message, error.Message);
        Assert.Contains($"override '{assignment}'", error.Message);
    }

    [Fact]
    public void MergeKeysTakeDefaultsThatExplicitKeysOverride()
    {
        var root = ConfigLoader.LoadTree(Fixture("merge_keys.yaml"));
        Assert.Equal(64L, ValueAt(root, "encoder.ch"));
        Assert.Equal(16L, ValueAt(root, "encoder.z_channels"));
    }

    [Theory]
    [InlineData("cycle.yaml", "interpolation cycle: a.b -> c.d -> a.b")]
    [InlineData("self_containing.yaml", "interpolation cycle")]
    [InlineData("missing_reference.yaml", "'model.does_not_exist' does not exist")]
    [InlineData("duplicate_key.yaml", ":3:3: duplicate key 'ch'")]
    [InlineData("malformed.yaml", "malformed YAML")]
    [InlineData("alias_bomb.yaml", "expands to more than")]
    [InlineData("interpolation_bomb.yaml", "expands to more than")]
    public void BrokenFilesFailWithTheFileAndProblemNamed(string file, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadTree(Fixture(file)));
        Assert.Contains(message, error.Message);
        Assert.StartsWith(Fixture(file), error.Message);
    }

    [Fact]
    public void MalformedYamlGivesLineAndColumn()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadTree(Fixture("malformed.yaml")));
        Assert.NotNull(error.Location);
        Assert.Equal(4, error.Location!.Line);
        Assert.Contains($"{Fixture("malformed.yaml")}:4:", error.Message);
    }

    [Fact]
    public void DeepNestingIsRefusedNotACrash()
    {
        using var file = new GaussQuant.Tests.Checkpoints.TemporaryFile(".yaml");
        File.WriteAllText(file.Path, "a: " + new string('[', 100_000) + new string(']', 100_000));
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadTree(file.Path));
        Assert.Contains("nested more than", error.Message);
    }

    [Fact]
    public void DamagedConfigsFailWithAConfigErrorOnly()
    {
        string original = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"));
        const string alphabet = " \n:-[]{}$.'\"&*!|>#%@`,?0a";
        var random = new Random(99);
        using var file = new GaussQuant.Tests.Checkpoints.TemporaryFile(".yaml");
        for (int trial = 0; trial < 300; trial++)
        {
            var damaged = original.ToCharArray();
            for (int edits = random.Next(1, 4); edits > 0; edits--) damaged[random.Next(damaged.Length)] = alphabet[random.Next(alphabet.Length)];
            File.WriteAllText(file.Path, new string(damaged));
            try { ExperimentLoader.Load(file.Path); }
            catch (ConfigException error) { Assert.StartsWith(file.Path, error.Message); }
        }
    }

    private static ConfigException LoadFails(string yaml)
    {
        using var file = new GaussQuant.Tests.Checkpoints.TemporaryFile(".yaml");
        File.WriteAllText(file.Path, yaml);
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadTree(file.Path));
        Assert.StartsWith(file.Path, error.Message);
        return error;
    }

    [Fact]
    public void ALongInterpolationChainIsRefusedNotAStackOverflow()
    {
        // 20,000 links overflowed the stack (exit 134) while each link recursed.
        const int links = 20_000;
        var yaml = new System.Text.StringBuilder();
        for (int link = 0; link < links; link++) yaml.Append($"k{link}: ${{k{link + 1}}}\n");
        yaml.Append($"k{links}: end\n");
        Assert.Contains($"more than {ConfigInterpolator.MaxChainLinks} deep", LoadFails(yaml.ToString()).Message);
    }

    [Fact]
    public void StringsBuiltFromCopiesOfThemselvesAreBoundedByLengthNotOnlyByNodes()
    {
        // Each level doubles the string: 15 levels of a 1,000-character seed make 32 million characters from 16 nodes,
        // which the node budget alone lets through (30 levels would be 10^12 characters).
        var yaml = new System.Text.StringBuilder($"s0: {new string('x', 1000)}\n");
        for (int level = 1; level <= 15; level++) yaml.Append($"s{level}: ${{s{level - 1}}}${{s{level - 1}}}\n");
        Assert.Contains("characters", LoadFails(yaml.ToString()).Message);
    }

    [Fact]
    public void AnEscapedInterpolationInACopiedSubtreeStaysLiteral()
    {
        using var file = new GaussQuant.Tests.Checkpoints.TemporaryFile(".yaml");
        File.WriteAllText(file.Path, "x: 1\ncopy: ${source}\nsource:\n  text: '\\${x}'\nlater: ${source}\n");
        var root = ConfigLoader.LoadTree(file.Path);
        Assert.Equal("${x}", ValueAt(root, "source.text"));
        Assert.Equal("${x}", ValueAt(root, "copy.text"));
        Assert.Equal("${x}", ValueAt(root, "later.text"));
    }

    [Fact]
    public void AMissingFileIsReportedAsSuch()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ConfigLoader.LoadTree(Fixture("no-such.yaml")));
        Assert.Contains("no such config file", error.Message);
    }
}
