"""The 個人情報ファイル簿 as published (filebook.selectors.public_entries; docs/file-register-schema.md)."""
from rest_framework import serializers


class FileChange(serializers.Serializer):
    number = serializers.IntegerField(help_text="公表の回（1, 2, …）")
    kind = serializers.ChoiceField(choices=["create", "change", "delete"], help_text="作成・変更・消除")
    kind_label = serializers.CharField(help_text="作成／変更／消除")
    date = serializers.DateField(help_text="作成年月日・変更年月日・消除年月日（施行令第20条）")
    name = serializers.CharField(help_text="そのときの名称")
    changes = serializers.ListField(child=serializers.CharField(), help_text="変わった内容（1行に1項目）")


class FileEntry(serializers.Serializer):
    code = serializers.CharField(help_text="ファイル番号（変わりません）")
    name = serializers.CharField(help_text="個人情報ファイルの名称（法第74条第1項第1号）")
    organ = serializers.CharField(help_text="行政機関等の名称（同第2号）")
    units = serializers.ListField(child=serializers.CharField(), help_text="事務をつかさどる組織（同第2号）")
    purpose = serializers.CharField(help_text="利用目的（同第3号）")
    items = serializers.ListField(child=serializers.CharField(), help_text="記録項目（同第4号）")
    scope = serializers.CharField(help_text="記録範囲（同第4号）")
    collection = serializers.CharField(help_text="収集方法（同第5号）")
    sensitive = serializers.BooleanField(help_text="要配慮個人情報が含まれる（同第6号）")
    ordinance_sensitive = serializers.BooleanField(help_text="条例要配慮個人情報が含まれる（法第75条第4項）")
    recipients = serializers.ListField(child=serializers.CharField(), help_text="経常的提供先（同第7号）")
    request_office = serializers.CharField(help_text="開示請求等を受理する組織の名称及び所在地（同第9号）")
    special_procedures = serializers.CharField(help_text="訂正・利用停止の特別の手続（同第10号）")
    kind = serializers.ChoiceField(choices=["computerized", "manual"], help_text="電算処理／マニュアル処理（施行令第20条第6項第1号）")
    kind_label = serializers.CharField()
    manual_counterpart = serializers.BooleanField(help_text="電算処理ファイルに対応するマニュアル処理ファイルがある（同第2号）")
    created_on = serializers.DateField()
    changed_on = serializers.DateField(allow_null=True)
    deleted_on = serializers.DateField(allow_null=True, help_text="消除年月日（あれば、もう掲載されていません）")
    history = FileChange(many=True)
