using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ashyq.Registry.Core.Data;

/// <summary>
/// The registry's data model. The schema itself is owned by the SQL files in Data/Migrations;
/// this model only maps onto it, and SchemaDriftTests prove the two agree.
/// </summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options)
    : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<District> Districts => Set<District>();
    public DbSet<CategoryAlias> CategoryAliases => Set<CategoryAlias>();
    public DbSet<Import> Imports => Set<Import>();
    public DbSet<ImportFile> ImportFiles => Set<ImportFile>();
    public DbSet<ImportMessage> ImportMessages => Set<ImportMessage>();
    public DbSet<ReportingWeek> Weeks => Set<ReportingWeek>();
    public DbSet<WeekRow> WeekRows => Set<WeekRow>();
    public DbSet<WeekCount> WeekCounts => Set<WeekCount>();
    public DbSet<Business> Businesses => Set<Business>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    /// <summary>The site's data-protection key ring, read and written by the library's key store.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<StaffUser>().ToTable("staff_users");
        builder.Entity<IdentityRole>().ToTable("staff_roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("staff_user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("staff_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("staff_user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("staff_user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("staff_role_claims");

        Map<Category>(builder, "categories", e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasColumnName("code");
            e.Property(x => x.NameRu).HasColumnName("name_ru");
            e.Property(x => x.NameKk).HasColumnName("name_kk");
            e.Property(x => x.NameEn).HasColumnName("name_en");
            e.Property(x => x.SortOrder).HasColumnName("sort_order");
        });
        Map<District>(builder, "districts", e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasColumnName("code");
            e.Property(x => x.NameRu).HasColumnName("name_ru");
            e.Property(x => x.NameKk).HasColumnName("name_kk");
            e.Property(x => x.NameEn).HasColumnName("name_en");
            e.Property(x => x.SortOrder).HasColumnName("sort_order");
        });
        Map<CategoryAlias>(builder, "category_aliases", e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
            e.Property(x => x.Alias).HasColumnName("alias");
            e.Property(x => x.CategoryCode).HasColumnName("category_code");
            e.Property(x => x.IsBuiltin).HasColumnName("is_builtin");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.CreatedBy).HasColumnName("created_by");
        });
        Map<Import>(builder, "imports", e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
            e.Property(x => x.WeekStart).HasColumnName("week_start");
            e.Property(x => x.FileName).HasColumnName("file_name");
            e.Property(x => x.SizeBytes).HasColumnName("size_bytes");
            e.Property(x => x.Sha256).HasColumnName("sha256").HasColumnType("character(64)");
            e.Property(x => x.Source).HasColumnName("source");
            e.Property(x => x.UploadedBy).HasColumnName("uploaded_by");
            e.Property(x => x.UploadedAt).HasColumnName("uploaded_at");
            e.Property(x => x.State).HasColumnName("state");
            e.Property(x => x.PublishWhenLoaded).HasColumnName("publish_when_loaded");
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.StartedAt).HasColumnName("started_at");
            e.Property(x => x.FinishedAt).HasColumnName("finished_at");
            e.Property(x => x.Format).HasColumnName("format");
            e.Property(x => x.RowsRead).HasColumnName("rows_read");
            e.Property(x => x.RowsLoaded).HasColumnName("rows_loaded");
            e.Property(x => x.RowsRejected).HasColumnName("rows_rejected");
            e.Property(x => x.Warnings).HasColumnName("warnings");
            e.Property(x => x.Error).HasColumnName("error");
            e.Property(x => x.DuplicateOf).HasColumnName("duplicate_of");
            e.Property(x => x.JobId).HasColumnName("job_id");
        });
        Map<ImportFile>(builder, "import_files", e =>
        {
            e.HasKey(x => x.ImportId);
            e.Property(x => x.ImportId).HasColumnName("import_id").ValueGeneratedNever();
            e.Property(x => x.Content).HasColumnName("content");
            e.Property(x => x.ContentEncoding).HasColumnName("content_encoding");
        });
        Map<ImportMessage>(builder, "import_messages", e =>
        {
            e.HasKey(x => new { x.ImportId, x.Seq });
            e.Property(x => x.ImportId).HasColumnName("import_id");
            e.Property(x => x.Seq).HasColumnName("seq");
            e.Property(x => x.Severity).HasColumnName("severity");
            e.Property(x => x.Code).HasColumnName("code");
            e.Property(x => x.LineNo).HasColumnName("line_no");
            e.Property(x => x.ColumnName).HasColumnName("column_name");
            e.Property(x => x.Value).HasColumnName("value");
            e.Property(x => x.Bin).HasColumnName("bin");
            e.Property(x => x.Message).HasColumnName("message");
            e.Property(x => x.Args).HasColumnName("args").HasColumnType("jsonb");
        });
        Map<ReportingWeek>(builder, "weeks", e =>
        {
            e.HasKey(x => x.WeekStart);
            e.Property(x => x.WeekStart).HasColumnName("week_start");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.ImportId).HasColumnName("import_id");
            e.Property(x => x.SourceSha256).HasColumnName("source_sha256").HasColumnType("character(64)");
            e.Property(x => x.LoadedAt).HasColumnName("loaded_at");
            e.Property(x => x.PublishedAt).HasColumnName("published_at");
            e.Property(x => x.PublishedBy).HasColumnName("published_by");
            e.Property(x => x.WithdrawnAt).HasColumnName("withdrawn_at");
            e.Property(x => x.WithdrawnBy).HasColumnName("withdrawn_by");
            e.Property(x => x.WithdrawReason).HasColumnName("withdraw_reason");
            e.Property(x => x.Participants).HasColumnName("participants");
            e.Property(x => x.Leaders).HasColumnName("leaders");
            e.Property(x => x.Outsiders).HasColumnName("outsiders");
            e.Property(x => x.Excluded).HasColumnName("excluded");
            e.Property(x => x.ExcludedByRule).HasColumnName("excluded_by_rule");
            e.Property(x => x.FlaggedVisitors).HasColumnName("flagged_visitors");
            e.Property(x => x.FlaggedVisitorsReported).HasColumnName("flagged_visitors_reported");
        });
        Map<WeekRow>(builder, "week_rows", e =>
        {
            e.HasKey(x => new { x.WeekStart, x.Bin });
            e.Property(x => x.WeekStart).HasColumnName("week_start");
            e.Property(x => x.Bin).HasColumnName("bin").HasColumnType("character(12)");
            e.Property(x => x.LineNo).HasColumnName("line_no");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.CategoryCode).HasColumnName("category_code");
            e.Property(x => x.CategoryRaw).HasColumnName("category_raw");
            e.Property(x => x.DistrictCode).HasColumnName("district_code");
            e.Property(x => x.Address).HasColumnName("address");
            e.Property(x => x.JoinedOn).HasColumnName("joined_on");
            e.Property(x => x.Scans).HasColumnName("scans");
            e.Property(x => x.FlaggedVisitors).HasColumnName("flagged_visitors");
            e.Property(x => x.FileStatus).HasColumnName("file_status");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.Reason).HasColumnName("reason");
            e.Property(x => x.ExclusionSource).HasColumnName("exclusion_source");
        });
        Map<WeekCount>(builder, "week_counts", e =>
        {
            e.HasKey(x => new { x.WeekStart, x.Dimension, x.Code });
            e.Property(x => x.WeekStart).HasColumnName("week_start");
            e.Property(x => x.Dimension).HasColumnName("dimension");
            e.Property(x => x.Code).HasColumnName("code");
            e.Property(x => x.Participants).HasColumnName("participants");
            e.Property(x => x.Leaders).HasColumnName("leaders");
            e.Property(x => x.Outsiders).HasColumnName("outsiders");
            e.Property(x => x.Excluded).HasColumnName("excluded");
        });
        Map<Business>(builder, "businesses", e =>
        {
            e.HasKey(x => x.Bin);
            e.Property(x => x.Bin).HasColumnName("bin").HasColumnType("character(12)");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.CategoryCode).HasColumnName("category_code");
            e.Property(x => x.CategoryRaw).HasColumnName("category_raw");
            e.Property(x => x.DistrictCode).HasColumnName("district_code");
            e.Property(x => x.Address).HasColumnName("address");
            e.Property(x => x.JoinedOn).HasColumnName("joined_on");
            e.Property(x => x.FirstListedWeek).HasColumnName("first_listed_week");
        });
        Map<AuditEntry>(builder, "audit_log", e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.Actor).HasColumnName("actor");
            e.Property(x => x.Action).HasColumnName("action");
            e.Property(x => x.Subject).HasColumnName("subject");
            e.Property(x => x.Details).HasColumnName("details");
            e.Property(x => x.Ip).HasColumnName("ip");
        });
        Map<DataProtectionKey>(builder, "data_protection_keys", e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
            e.Property(x => x.FriendlyName).HasColumnName("friendly_name");
            e.Property(x => x.Xml).HasColumnName("xml").IsRequired();
        });
    }

    private static void Map<T>(ModelBuilder builder, string table, Action<EntityTypeBuilder<T>> configure)
        where T : class
    {
        var entity = builder.Entity<T>();
        entity.ToTable(table);
        configure(entity);
    }
}
